using System.Text;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.QuestionBank;

namespace SupplierAssure.Core.Tests;

public sealed class QuestionBankLoaderTests
{
    [Fact]
    public void LoadBaseline_ShippedFile_IsValidWithAtLeastTenQuestionsCoveringClauses4To10()
    {
        var template = QuestionBankLoader.LoadBaseline();
        Assert.True(template.Questions.Count >= 10);
        var majors = template.Questions.Select(q => int.Parse(q.Clause.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(Enumerable.Range(4, 7).ToHashSet(), majors);
        Assert.Contains(template.Questions, q => q.Critical);
        Assert.All(template.Questions, q => Assert.True(q.AppliesTo(Suppliers.SupplierTier.Tier3Standard)));
    }

    [Fact]
    public void Load_InvalidFile_ListsEveryProblemWithItsPath()
    {
        const string json = """
            { "code": "X", "version": 0, "title": "T", "questions": [
              { "code": "A", "section": "S", "clause": "8.4", "text": "t", "answerType": "yesPartialNo", "weight": 0, "appliesUpToTier": 3 },
              { "code": "A", "section": "S", "clause": "3.1", "text": "", "answerType": "text", "weight": 0, "critical": true, "appliesUpToTier": 7 }
            ] }
            """;
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        var paths = ex.Problems.Select(p => p.Path).ToList();
        Assert.Contains("$.version", paths);
        Assert.Contains("$.questions[0].weight", paths);
        Assert.Contains("$.questions[1].code", paths);
        Assert.Contains("$.questions[1].clause", paths);
        Assert.Contains("$.questions[1].text", paths);
        Assert.Contains("$.questions[1].critical", paths);
        Assert.Contains("$.questions[1].appliesUpToTier", paths);
        Assert.All(ex.Problems, p => Assert.Equal("bad.json", p.Source));
    }

    [Fact]
    public void Load_MalformedJson_ReportsTheLine()
    {
        var ex = Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream("{\n  \"code\": \n}"u8.ToArray()), "broken.json"));
        Assert.StartsWith("line ", ex.Problems.Single().Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownAnswerType_IsRefused()
    {
        const string json = """{ "code": "X", "version": 1, "title": "T", "questions": [ { "code": "A", "section": "S", "clause": "8.4", "text": "t", "answerType": "essay", "weight": 1, "appliesUpToTier": 3 } ] }""";
        Assert.Throws<QuestionBankInvalidException>(() => QuestionBankLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json"));
    }

    [Theory]
    [InlineData(AnswerType.YesPartialNo, "maybe", null, false)]
    [InlineData(AnswerType.YesPartialNo, "na", null, false)]
    [InlineData(AnswerType.YesPartialNo, "na", "We do not ship by sea.", true)]
    [InlineData(AnswerType.YesPartialNo, "partial", null, true)]
    [InlineData(AnswerType.Maturity, "6", null, false)]
    [InlineData(AnswerType.Maturity, "3", null, true)]
    [InlineData(AnswerType.Text, "anything", null, true)]
    public void AnswerRules_Validate_AcceptsOnlyWellFormedAnswers(AnswerType type, string value, string? reason, bool ok)
    {
        var question = new TemplateQuestion { Code = "Q", Section = "S", Clause = "8.4", Text = "t", AnswerType = type };
        Assert.Equal(ok, AnswerRules.Validate(question, AnswerRules.Normalise(question, value), reason) is null);
    }

    [SkippableFact]
    public void QuestionTexts_ShareNoEightWordRunWithTheReferenceGuide()
    {
        var guide = FindGuide();
        // The guide is provided beside the repository (../shared/reference); without it there is nothing to compare.
        Skip.If(guide is null, "../shared/reference/iso28000-assessment-guide.txt is not present on this machine.");

        var guideRuns = Runs(File.ReadAllText(guide)).ToHashSet(StringComparer.Ordinal);
        var template = QuestionBankLoader.LoadBaseline();
        var copied = template.Questions
            .SelectMany(q => new[] { q.Text, q.Guidance, q.EvidenceExpected })
            .Where(t => t is not null)
            .SelectMany(t => Runs(t!))
            .Where(guideRuns.Contains)
            .ToList();
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
