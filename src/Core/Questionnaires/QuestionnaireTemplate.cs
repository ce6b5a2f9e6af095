using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Questionnaires;

public enum AnswerType
{
    /// <summary>Yes, partial or no; not applicable with a reason.</summary>
    YesPartialNo,
    /// <summary>A maturity level from 1 (ad hoc) to 5 (optimising).</summary>
    Maturity,
    /// <summary>Free text; informs reviewers, not scored.</summary>
    Text,
    /// <summary>One of the question's options; each option carries its own score.</summary>
    SingleChoice,
    /// <summary>Any of the question's options; the scores of the chosen options add up, capped at full marks.</summary>
    MultipleChoice,
    /// <summary>A number (count, percentage, days); informs reviewers and readiness rules, not scored.</summary>
    Number,
    /// <summary>A calendar date (yyyy-MM-dd); informs reviewers and readiness rules, not scored.</summary>
    Date,
}

/// <summary>The eight operational control domains a supply-chain security system has to cover in operation.</summary>
public enum ControlDomain
{
    Physical,
    Personnel,
    Information,
    Cargo,
    Transport,
    Partners,
    Procedural,
    Incident,
}

public enum TemplateStatus
{
    /// <summary>Imported and checked but not yet issued to anyone; may still be replaced.</summary>
    Draft,
    /// <summary>Frozen: assessments refer to it, so it never changes again.</summary>
    Published,
}

/// <summary>
/// A version of a questionnaire. Drafts come from an import; publishing freezes a version, and assessments point at
/// the version they were issued with, so a later version never changes what an earlier assessment asked.
/// </summary>
public sealed class QuestionnaireTemplate
{
    public Guid Id { get; set; }
    public required string Code { get; set; }
    public int Version { get; set; }
    public required string Title { get; set; }
    public TemplateStatus Status { get; set; } = TemplateStatus.Published;
    /// <summary>The file the version was imported from, for the audit trail.</summary>
    public string? SourceName { get; set; }
    public DateTimeOffset? ImportedAt { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public List<TemplateQuestion> Questions { get; set; } = [];
}

/// <summary>One choice of a single- or multiple-choice question. <see cref="Score"/> is 0..1.</summary>
public sealed record AnswerOption(string Value, string Label, decimal Score);

/// <summary>Where a question sits in the frameworks our partners and auditors use.</summary>
public sealed class QuestionMappings
{
    /// <summary>C-TPAT minimum security criteria category.</summary>
    public string? Ctpat { get; set; }
    /// <summary>EU AEO security and safety criterion area.</summary>
    public string? Aeo { get; set; }
    /// <summary>ISO/IEC 27001:2022 Annex A control, for information security questions.</summary>
    public string? Iso27001 { get; set; }
    /// <summary>TAPA FSR (facilities) or TSR (trucking) topic.</summary>
    public string? Tapa { get; set; }
    /// <summary>ISPS Code reference, for port facility questions.</summary>
    public string? Isps { get; set; }
}

public sealed class TemplateQuestion
{
    public Guid Id { get; set; }
    public Guid TemplateId { get; set; }
    public required string Code { get; set; }
    public int Order { get; set; }
    /// <summary>Section heading shown to suppliers, e.g. "Context of the organisation".</summary>
    public required string Section { get; set; }
    /// <summary>ISO 28000:2022 clause the question maps to, e.g. "4.1".</summary>
    public required string Clause { get; set; }
    /// <summary>The operational control domain, for questions about controls in operation; null for management-system questions.</summary>
    public ControlDomain? Domain { get; set; }
    public required string Text { get; set; }
    public string? Guidance { get; set; }
    public AnswerType AnswerType { get; set; }
    public List<AnswerOption> Options { get; set; } = [];
    public decimal Weight { get; set; } = 1m;
    /// <summary>A knock-out control: a "no" here is a critical gap whatever the total.</summary>
    public bool Critical { get; set; }
    /// <summary>The least demanding tier that still gets this question: Tier 3 means every tier, Tier 1 only the critical suppliers.</summary>
    public SupplierTier AppliesUpToTier { get; set; } = SupplierTier.Tier3Standard;
    /// <summary>What a supplier of the least demanding tier that gets the question is expected to attach.</summary>
    public string? EvidenceExpected { get; set; }
    /// <summary>What a Tier 2 supplier attaches when it differs from <see cref="EvidenceExpected"/>.</summary>
    public string? EvidenceTier2 { get; set; }
    /// <summary>What a Tier 1 supplier attaches when it differs from the less demanding tiers.</summary>
    public string? EvidenceTier1 { get; set; }
    /// <summary>Shown only to suppliers with one of these roles; <see cref="SupplyChainRoles.None"/> means everyone.</summary>
    public SupplyChainRoles ShowWhenSupplierRoles { get; set; }
    /// <summary>Shown only when this question's answer is one of <see cref="ShowWhenAnyOf"/>.</summary>
    public string? ShowWhenQuestion { get; set; }
    /// <summary>Comma-separated answer values that make the question appear.</summary>
    public string? ShowWhenAnyOf { get; set; }
    public QuestionMappings Mappings { get; set; } = new();

    public bool AppliesTo(SupplierTier tier) => tier != SupplierTier.Excluded && (int)tier <= (int)AppliesUpToTier;

    /// <summary>Scored questions count towards the score; number, date and text questions inform only.</summary>
    public bool IsScored => AnswerType is AnswerType.YesPartialNo or AnswerType.Maturity or AnswerType.SingleChoice or AnswerType.MultipleChoice
        && Weight > 0;

    /// <summary>The evidence a supplier of <paramref name="tier"/> is expected to attach; stricter tiers inherit from laxer ones.</summary>
    public string? EvidenceFor(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => EvidenceTier1 ?? EvidenceTier2 ?? EvidenceExpected,
        SupplierTier.Tier2Significant => EvidenceTier2 ?? EvidenceExpected,
        SupplierTier.Tier3Standard => EvidenceExpected,
        _ => null,
    };

    /// <summary>
    /// Whether the question is put to a supplier with <paramref name="roles"/> given the answers so far. Unknown roles
    /// (none recorded) show everything: asking too much is safer than skipping a control.
    /// </summary>
    public bool IsShown(SupplyChainRoles roles, IReadOnlyDictionary<string, string?> answersByCode)
    {
        ArgumentNullException.ThrowIfNull(answersByCode);
        if (ShowWhenSupplierRoles != SupplyChainRoles.None && roles != SupplyChainRoles.None && (roles & ShowWhenSupplierRoles) == 0)
        {
            return false;
        }

        if (ShowWhenQuestion is null)
        {
            return true;
        }

        if (!answersByCode.TryGetValue(ShowWhenQuestion, out var trigger) || trigger is null)
        {
            return false;
        }

        foreach (var range in (ShowWhenAnyOf ?? string.Empty).AsSpan().Split(','))
        {
            if ((ShowWhenAnyOf ?? string.Empty).AsSpan()[range].Trim().Equals(trigger, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
