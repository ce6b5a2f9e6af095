using System.Globalization;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;
using static SupplierAssure.Core.QuestionBank.QuestionBankLoader;

namespace SupplierAssure.Core.QuestionBank;

/// <summary>Checks a deserialised bank file field by field and builds the template; collects every problem instead of stopping at the first.</summary>
internal sealed class BankValidator(string source, JsonLineIndex lines)
{
    private const int MaxCodeLength = 32;
    private readonly List<QuestionBankProblem> _problems = [];

    public IReadOnlyList<QuestionBankProblem> Problems => _problems;

    public QuestionnaireTemplate Validate(BankFile file)
    {
        if (string.IsNullOrWhiteSpace(file.Code) || file.Code.Length > 64)
        {
            Problem("$.code", "A template code of 1 to 64 characters is required.");
        }

        if (file.Version < 1)
        {
            Problem("$.version", "The version must be 1 or more.");
        }

        if (string.IsNullOrWhiteSpace(file.Title) || file.Title.Length > 200)
        {
            Problem("$.title", "A title of 1 to 200 characters is required.");
        }

        var questions = file.Questions ?? [];
        if (questions.Count == 0)
        {
            Problem("$.questions", "At least one question is required.");
        }

        var template = new QuestionnaireTemplate { Code = file.Code ?? string.Empty, Version = file.Version, Title = file.Title ?? string.Empty };
        var seen = new Dictionary<string, BankQuestion>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < questions.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"$.questions[{i}]");
            var q = questions[i];
            if (q is null)
            {
                Problem(at, "A question cannot be null.");
                continue;
            }

            CheckQuestion(q, at, seen);
            if (!string.IsNullOrWhiteSpace(q.Code))
            {
                seen.TryAdd(q.Code, q);
            }

            template.Questions.Add(Build(q, i));
        }

        return template;
    }

    private void CheckQuestion(BankQuestion q, string at, Dictionary<string, BankQuestion> earlier)
    {
        if (string.IsNullOrWhiteSpace(q.Code) || q.Code.Length > MaxCodeLength || !q.Code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            Problem($"{at}.code", "A question code of 1 to 32 letters, digits or hyphens is required.");
        }
        else if (earlier.ContainsKey(q.Code))
        {
            Problem($"{at}.code", $"The code {q.Code} is used more than once.");
        }

        Required(q.Text, 1000, $"{at}.text", "The question text");
        Required(q.Section, 120, $"{at}.section", "A section");
        if (q.Guidance is { Length: > 2000 })
        {
            Problem($"{at}.guidance", "Keep guidance under 2000 characters.");
        }

        if (!Frameworks.IsClauseArea(q.Clause))
        {
            Problem($"{at}.clause", "An ISO 28000 requirement area from 4.1 to 10.2 is required, e.g. 8.4 or 6.1.2.");
        }
        else if (q.Domain is not null && !q.Clause!.StartsWith("8.", StringComparison.Ordinal))
        {
            Problem($"{at}.domain", "Control domains describe controls in operation, so they belong to clause 8.");
        }

        if (q.AppliesUpToTier is not (1 or 2 or 3))
        {
            Problem($"{at}.appliesUpToTier", "Use 1, 2 or 3: the least demanding tier that still gets the question.");
        }

        CheckAnswerType(q, at);
        CheckEvidence(q, at);
        CheckCondition(q, at, earlier);
        CheckMappings(q, at);
    }

    private void CheckAnswerType(BankQuestion q, string at)
    {
        if (q.AnswerType is not { } type)
        {
            Problem($"{at}.answerType", "An answer type is required: yesPartialNo, maturity, singleChoice, multipleChoice, number, date or text.");
            return;
        }

        var choice = type is AnswerType.SingleChoice or AnswerType.MultipleChoice;
        var informational = type is AnswerType.Text or AnswerType.Number or AnswerType.Date;
        if (q.Weight < 0 || q.Weight > 100 || q.Weight * 100 != decimal.Truncate(q.Weight * 100))
        {
            Problem($"{at}.weight", "The weight must be between 0 and 100, with at most two decimals.");
        }
        else if (type is AnswerType.YesPartialNo or AnswerType.Maturity && q.Weight == 0)
        {
            Problem($"{at}.weight", "A scored question needs a weight above 0.");
        }
        else if (informational && q.Weight != 0)
        {
            Problem($"{at}.weight", "Number, date and text answers are not scored, so their weight must be 0.");
        }

        if (q.Critical && (informational || q.Weight == 0))
        {
            Problem($"{at}.critical", "Only a scored question (weight above 0) can be critical.");
        }

        if (!choice)
        {
            if (q.Options is { Count: > 0 })
            {
                Problem($"{at}.options", "Only single- and multiple-choice questions have options.");
            }

            return;
        }

        var options = q.Options ?? [];
        if (options.Count < 2)
        {
            Problem($"{at}.options", "A choice question needs at least two options.");
            return;
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var oat = string.Create(CultureInfo.InvariantCulture, $"{at}.options[{i}]");
            if (string.IsNullOrWhiteSpace(o.Value) || o.Value.Length > 40 || o.Value.Contains(',', StringComparison.Ordinal) || o.Value != o.Value.ToLowerInvariant())
            {
                Problem($"{oat}.value", "An option value of 1 to 40 lower-case characters without commas is required.");
            }
            else if (!values.Add(o.Value))
            {
                Problem($"{oat}.value", $"The option value {o.Value} is used more than once.");
            }

            Required(o.Label, 200, $"{oat}.label", "An option label");
            if (o.Score is < 0 or > 1 || o.Score * 10_000 != decimal.Truncate(o.Score * 10_000))
            {
                Problem($"{oat}.score", "An option score is between 0 and 1, with at most four decimals.");
            }
        }

        // Full marks must be reachable, or a perfect supplier could never score 100.
        var best = type == AnswerType.SingleChoice ? options.Max(o => o.Score) : options.Sum(o => Math.Max(0, o.Score));
        if (q.Weight > 0 && best < 1)
        {
            Problem($"{at}.options", "At least one answer must earn full marks (a score of 1, or scores adding up to 1 for multiple choice).");
        }
    }

    private void CheckEvidence(BankQuestion q, string at)
    {
        var e = q.Evidence;
        var scored = q.Weight > 0;
        if (e is null)
        {
            if (scored)
            {
                Problem($"{at}.evidence", "A scored question says what evidence is expected.");
            }

            return;
        }

        foreach (var (tier, text) in new[] { (1, e.Tier1), (2, e.Tier2), (3, e.Tier3) })
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{at}.evidence.tier{tier}");
            if (text is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(text) || text.Length > 1000)
            {
                Problem(path, "Evidence text must be 1 to 1000 characters.");
            }
            else if (q.AppliesUpToTier is 1 or 2 or 3 && tier > q.AppliesUpToTier)
            {
                Problem(path, string.Create(CultureInfo.InvariantCulture, $"Tier {tier} never gets this question (it stops at tier {q.AppliesUpToTier})."));
            }
        }

        if (q.AppliesUpToTier is 1 or 2 or 3 && EvidenceAt(e, q.AppliesUpToTier) is null)
        {
            Problem($"{at}.evidence", string.Create(CultureInfo.InvariantCulture, $"Give the evidence for tier {q.AppliesUpToTier}, the least demanding tier that gets the question; stricter tiers inherit it."));
        }
    }

    private void CheckCondition(BankQuestion q, string at, Dictionary<string, BankQuestion> earlier)
    {
        if (q.ShowWhen is not { } when)
        {
            return;
        }

        if (when.SupplierRoles is null && when.Question is null)
        {
            Problem($"{at}.showWhen", "A condition names supplier roles, a question, or both.");
        }

        if (when.SupplierRoles is { Count: 0 })
        {
            Problem($"{at}.showWhen.supplierRoles", "List at least one role, or leave the field out.");
        }

        if (when.Question is null)
        {
            if (when.AnyOf is not null)
            {
                Problem($"{at}.showWhen.anyOf", "anyOf needs the question it refers to.");
            }

            return;
        }

        // Only an earlier question can decide: a supplier answers top to bottom.
        if (!earlier.TryGetValue(when.Question, out var trigger))
        {
            Problem($"{at}.showWhen.question", $"The question {when.Question} does not come earlier in the file.");
            return;
        }

        var allowed = trigger.AnswerType switch
        {
            AnswerType.YesPartialNo => [AnswerRules.Yes, AnswerRules.Partial, AnswerRules.No],
            AnswerType.SingleChoice => (trigger.Options ?? []).Select(o => o.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal),
            _ => null as HashSet<string>,
        };
        if (trigger.Weight > 0)
        {
            // If a scored answer could bring in new questions, raising it could lower the score.
            Problem($"{at}.showWhen.question", $"The question {when.Question} is scored; a question that decides what else is asked must have weight 0.");
        }

        if (allowed is null)
        {
            Problem($"{at}.showWhen.question", "A condition can only depend on a yes/partial/no or single-choice question.");
        }
        else if (when.AnyOf is not { Count: > 0 } || when.AnyOf.Any(v => !allowed.Contains(v)))
        {
            Problem($"{at}.showWhen.anyOf", $"List one or more answers of {when.Question}: {string.Join(", ", allowed)}.");
        }
    }

    private void CheckMappings(BankQuestion q, string at)
    {
        var m = q.Mappings;
        if (m is null)
        {
            Problem($"{at}.mappings", "Every question maps to C-TPAT and EU AEO.");
            return;
        }

        if (m.Ctpat is null || !Frameworks.CtpatAreas.Contains(m.Ctpat))
        {
            Problem($"{at}.mappings.ctpat", "Name a C-TPAT minimum security criteria category, e.g. Seal Security.");
        }

        if (m.Aeo is null || !Frameworks.AeoAreas.Contains(m.Aeo))
        {
            Problem($"{at}.mappings.aeo", "Name an EU AEO security criterion area, e.g. Cargo units.");
        }

        if (m.Iso27001 is not null ? !Frameworks.IsAnnexAControl(m.Iso27001) : q.Domain == ControlDomain.Information)
        {
            Problem($"{at}.mappings.iso27001", "Information security questions name an ISO/IEC 27001:2022 Annex A control, e.g. A.8.24.");
        }

        if (m.Tapa is not null ? !Frameworks.IsTapaReference(m.Tapa) : q.Domain is ControlDomain.Physical or ControlDomain.Transport)
        {
            Problem($"{at}.mappings.tapa", "Facility and trucking questions name a TAPA reference starting with FSR or TSR.");
        }

        var forPorts = q.ShowWhen?.SupplierRoles?.Contains(SupplyChainRoles.Port) == true;
        if (m.Isps is not null ? m.Isps.Length is 0 or > 100 : forPorts)
        {
            Problem($"{at}.mappings.isps", "Port facility questions name the ISPS Code part they relate to (up to 100 characters).");
        }
    }

    private static TemplateQuestion Build(BankQuestion q, int index)
    {
        var tier = q.AppliesUpToTier is 1 or 2 or 3 ? (SupplierTier)q.AppliesUpToTier : SupplierTier.Tier3Standard;
        var roles = SupplyChainRoles.None;
        foreach (var role in q.ShowWhen?.SupplierRoles ?? [])
        {
            roles |= role;
        }

        return new TemplateQuestion
        {
            Code = q.Code ?? string.Empty,
            Order = index + 1,
            Section = q.Section ?? string.Empty,
            Clause = q.Clause ?? string.Empty,
            Domain = q.Domain,
            Text = q.Text ?? string.Empty,
            Guidance = q.Guidance,
            AnswerType = q.AnswerType ?? AnswerType.Text,
            Options = (q.Options ?? []).Select(o => new AnswerOption(o.Value ?? string.Empty, o.Label ?? string.Empty, o.Score)).ToList(),
            Weight = q.Weight,
            Critical = q.Critical,
            AppliesUpToTier = tier,
            EvidenceExpected = q.Evidence is null ? null : EvidenceAt(q.Evidence, (int)tier),
            EvidenceTier2 = tier == SupplierTier.Tier3Standard ? q.Evidence?.Tier2 : null,
            EvidenceTier1 = tier == SupplierTier.Tier1Critical ? null : q.Evidence?.Tier1,
            ShowWhenSupplierRoles = roles,
            ShowWhenQuestion = q.ShowWhen?.Question,
            ShowWhenAnyOf = q.ShowWhen?.AnyOf is { } anyOf ? string.Join(',', anyOf) : null,
            Mappings = new QuestionMappings { Ctpat = q.Mappings?.Ctpat, Aeo = q.Mappings?.Aeo, Iso27001 = q.Mappings?.Iso27001, Tapa = q.Mappings?.Tapa, Isps = q.Mappings?.Isps },
        };
    }

    private static string? EvidenceAt(BankEvidence e, int tier) => tier switch
    {
        1 => e.Tier1,
        2 => e.Tier2,
        _ => e.Tier3,
    };

    private void Required(string? value, int max, string path, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            Problem(path, string.Create(CultureInfo.InvariantCulture, $"{what} is required, up to {max} characters."));
        }
    }

    private void Problem(string path, string message) => _problems.Add(new QuestionBankProblem(source, lines.LineOf(path), path, message));
}
