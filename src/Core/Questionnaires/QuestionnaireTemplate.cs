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
}

/// <summary>A published, immutable version of a questionnaire. Assessments point at the version they were issued with.</summary>
public sealed class QuestionnaireTemplate
{
    public Guid Id { get; set; }
    public required string Code { get; set; }
    public int Version { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public List<TemplateQuestion> Questions { get; set; } = [];
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
    public required string Text { get; set; }
    public string? Guidance { get; set; }
    public AnswerType AnswerType { get; set; }
    public decimal Weight { get; set; } = 1m;
    /// <summary>A knock-out control: a "no" here is a critical gap whatever the total.</summary>
    public bool Critical { get; set; }
    /// <summary>The least demanding tier that still gets this question: Tier 3 means every tier, Tier 1 only the critical suppliers.</summary>
    public SupplierTier AppliesUpToTier { get; set; } = SupplierTier.Tier3Standard;
    /// <summary>What a supplier is expected to attach, in words.</summary>
    public string? EvidenceExpected { get; set; }

    public bool AppliesTo(SupplierTier tier) => tier != SupplierTier.Excluded && (int)tier <= (int)AppliesUpToTier;
}
