using System.Text;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.QuestionBank;

namespace SupplierAssure.Core.Tests;

public sealed class QuestionBankLoaderTests
{
    [Fact]
    public void LoadBank_ShippedFile_IsValidWithAtLeast150QuestionsCoveringClauses4To10()
    {
        var template = QuestionBankLoader.LoadBank();
        Assert.True(template.Questions.Count >= 150, $"{template.Questions.Count} questions");
        var majors = template.Questions.Select(q => int.Parse(q.Clause.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(Enumerable.Range(4, 7).ToHashSet(), majors);
        Assert.Contains(template.Questions, q => q.Critical);
        Assert.Equal(template.Questions.Count, template.Questions.Select(q => q.Order).Distinct().Count());
    }

    [Fact]
    public void Load_InvalidFile_ListsEveryProblemWithItsLineAndPath()
    {
        const string json = """
            { "code": "X", "version": 0, "title": "T", "questions": [
              { "code": "A", "section": "S", "clause": "8.4", "text": "t", "answerType": "yesPartialNo", "weight": 0, "appliesUpToTier": 3,
                "evidence": { "tier3": "e" }, "mappings": { "ctpat": "Seal Security", "aeo": "Cargo units" } },
              { "code": "A", "section": "S", "clause": "3.1", "text": "", "answerType": "text", "weight": 0, "critical": true, "appliesUpToTier": 7,
                "mappings": { "ctpat": "Seal Security", "aeo": "Cargo units" } },
              { "code": "B", "section": "S", "clause": "8.4", "domain": "information", "text": "t", "answerType": "singleChoice", "weight": 1, "appliesUpToTier": 1,
                "options": [ { "value": "a", "label": "A", "score": 0.5 }, { "value": "a", "label": "", "score": -1 } ],
                "showWhen": { "question": "Z", "anyOf": ["yes"] },
                "evidence": { "tier1": "e", "tier3": "not asked" },
                "mappings": { "ctpat": "Seals", "aeo": "Cargo units", "iso27001": "A.9.1" } }
            ] }
            """;
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        var byPath = ex.Problems.ToLookup(p => p.Path);
        Assert.Equal(1, byPath["$.version"].Single().Line);
        Assert.Equal(2, byPath["$.questions[0].weight"].Single().Line);
        Assert.Equal(4, byPath["$.questions[1].code"].Single().Line);
        foreach (var path in new[] { "$.questions[1].clause", "$.questions[1].text", "$.questions[1].critical", "$.questions[1].appliesUpToTier" })
        {
            Assert.Equal(4, byPath[path].Single().Line);
        }

        Assert.Equal(7, byPath["$.questions[2].options[1].value"].Single().Line);
        Assert.Equal(7, byPath["$.questions[2].options[1].label"].Single().Line);
        Assert.Equal(7, byPath["$.questions[2].options[1].score"].Single().Line);
        Assert.Equal(7, byPath["$.questions[2].options"].Single().Line);
        Assert.Equal(8, byPath["$.questions[2].showWhen.question"].Single().Line);
        Assert.Equal(9, byPath["$.questions[2].evidence.tier3"].Single().Line);
        Assert.Equal(10, byPath["$.questions[2].mappings.ctpat"].Single().Line);
        Assert.Equal(10, byPath["$.questions[2].mappings.iso27001"].Single().Line);
        Assert.All(ex.Problems, p => Assert.Equal("bad.json", p.Source));
        Assert.Contains("bad.json: line 2: $.questions[0].weight:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedJson_ReportsTheLine()
    {
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream("{\n  \"code\": \n}"u8.ToArray()), "broken.json"));
        Assert.Equal(3, ex.Problems.Single().Line);
    }

    [Fact]
    public void Load_UnknownAnswerType_IsRefusedWithItsLine()
    {
        const string json = "{ \"code\": \"X\", \"version\": 1, \"title\": \"T\", \"questions\": [\n { \"code\": \"A\", \"section\": \"S\", \"clause\": \"8.4\", \"text\": \"t\",\n \"answerType\": \"essay\", \"weight\": 1, \"appliesUpToTier\": 3 } ] }";
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json"));
        Assert.Equal(3, ex.Problems.Single().Line);
        Assert.Contains("answerType", ex.Problems.Single().Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisspeltField_IsRefusedRatherThanIgnored()
    {
        const string json = """{ "code": "X", "version": 1, "title": "T", "questions": [ { "code": "A", "weigth": 3 } ] }""";
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json"));
        Assert.Contains("spelling", ex.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenLoad_GivesTheSameQuestions()
    {
        var bank = QuestionBankLoader.LoadBank();
        using var buffer = new MemoryStream();
        QuestionBankLoader.Write(bank, buffer);
        buffer.Position = 0;
        var again = QuestionBankLoader.Load(buffer, "export.json");

        Assert.Equal(bank.Questions.Count, again.Questions.Count);
        foreach (var (a, b) in bank.Questions.Zip(again.Questions))
        {
            Assert.Equal(
                (a.Code, a.Section, a.Clause, a.Domain, a.Text, a.Guidance, a.AnswerType, a.Weight, a.Critical, a.AppliesUpToTier, a.EvidenceExpected, a.EvidenceTier2, a.EvidenceTier1),
                (b.Code, b.Section, b.Clause, b.Domain, b.Text, b.Guidance, b.AnswerType, b.Weight, b.Critical, b.AppliesUpToTier, b.EvidenceExpected, b.EvidenceTier2, b.EvidenceTier1));
            Assert.Equal(a.Options, b.Options);
            Assert.Equal((a.ShowWhenSupplierRoles, a.ShowWhenQuestion, a.ShowWhenAnyOf), (b.ShowWhenSupplierRoles, b.ShowWhenQuestion, b.ShowWhenAnyOf));
            Assert.Equal((a.Mappings.Ctpat, a.Mappings.Aeo, a.Mappings.Iso27001, a.Mappings.Tapa, a.Mappings.Isps), (b.Mappings.Ctpat, b.Mappings.Aeo, b.Mappings.Iso27001, b.Mappings.Tapa, b.Mappings.Isps));
        }
    }

    [Theory]
    [InlineData(AnswerType.YesPartialNo, "maybe", null, false)]
    [InlineData(AnswerType.YesPartialNo, "na", null, false)]
    [InlineData(AnswerType.YesPartialNo, "na", "We do not ship by sea.", true)]
    [InlineData(AnswerType.YesPartialNo, "partial", null, true)]
    [InlineData(AnswerType.Maturity, "6", null, false)]
    [InlineData(AnswerType.Maturity, "3", null, true)]
    [InlineData(AnswerType.Text, "anything", null, true)]
    [InlineData(AnswerType.SingleChoice, "Sea", null, true)]
    [InlineData(AnswerType.SingleChoice, "sea,road", null, false)]
    [InlineData(AnswerType.MultipleChoice, "road, SEA", null, true)]
    [InlineData(AnswerType.MultipleChoice, "road,air", null, false)]
    [InlineData(AnswerType.Number, "12.5", null, true)]
    [InlineData(AnswerType.Number, "12,5", null, false)]
    [InlineData(AnswerType.Date, "2026-03-31", null, true)]
    [InlineData(AnswerType.Date, "31/03/2026", null, false)]
    public void AnswerRules_Validate_AcceptsOnlyWellFormedAnswers(AnswerType type, string value, string? reason, bool ok)
    {
        var question = new TemplateQuestion
        {
            Code = "Q", Section = "S", Clause = "8.4", Text = "t", AnswerType = type,
            Options = [new("road", "Road", 1), new("sea", "Sea", 1)],
        };
        Assert.Equal(ok, AnswerRules.Validate(question, AnswerRules.Normalise(question, value), reason) is null);
    }

    [Fact]
    public void AnswerRules_Normalise_PutsMultipleChoicesInOptionOrderOnce()
    {
        var question = new TemplateQuestion { Code = "Q", Section = "S", Clause = "8.4", Text = "t", AnswerType = AnswerType.MultipleChoice, Options = [new("road", "Road", 0.5m), new("sea", "Sea", 0.5m)] };
        Assert.Equal("road,sea", AnswerRules.Normalise(question, " SEA, road ,sea"));
    }

    [SkippableFact]
    public void QuestionTexts_ShareNoEightWordRunWithTheReferenceGuide()
    {
        var guide = FindGuide();
        // The guide is provided beside the repository (../shared/reference); without it there is nothing to compare.
        Skip.If(guide is null, "../shared/reference/iso28000-assessment-guide.txt is not present on this machine.");

        var guideRuns = Runs(File.ReadAllText(guide)).ToHashSet(StringComparer.Ordinal);
        var template = QuestionBankLoader.LoadBank();
        // Every text a person reads: the template title, sections, questions, help, evidence at every tier, option
        // labels and mapping names, plus the tier policy's reasons.
        var texts = template.Questions
            .SelectMany(q => new[] { q.Section, q.Text, q.Guidance, q.EvidenceExpected, q.EvidenceTier2, q.EvidenceTier1, q.Mappings.Ctpat, q.Mappings.Aeo, q.Mappings.Tapa, q.Mappings.Isps }
                .Concat(q.Options.Select(o => o.Label)))
            .Append(template.Title)
            .Concat(Scoring.ReadinessRules.All.Select(r => r.Title))
            .Concat(Tiering.TierPolicy.Default.Propose(new(Tiering.FactorLevel.Severe, Tiering.FactorLevel.High, Tiering.FactorLevel.Severe, Tiering.FactorLevel.High, Tiering.FactorLevel.Severe, Tiering.SpecialCargo.Controlled)).Reasons)
            .Where(t => t is not null);
        var copied = texts.SelectMany(t => Runs(t!).Select(run => (run, t))).Where(x => guideRuns.Contains(x.run)).ToList();
        Assert.Empty(copied);
    }

    private static IEnumerable<string> Runs(string text)
    {
        var words = text.ToLowerInvariant()
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
            .Where(w => w.Length > 0)
            .ToArray();
        for (var i = 0; i + 8 <= words.Length; i++)
        {
            yield return string.Join(' ', words, i, 8);
        }
    }

    private static string? FindGuide()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "iso28000-assessment-guide.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
