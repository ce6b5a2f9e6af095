using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Assessments;

public enum AssessmentState
{
    Issued,
    InProgress,
    Submitted,
    UnderReview,
    Audit,
    Remediation,
    Approved,
    ConditionallyApproved,
    Rejected,
    Expired,
    /// <summary>Returned by a reviewer with questions on some answers; the supplier edits and submits again, and it comes back to review.</summary>
    Clarification,
}

/// <summary>A questionnaire issued to one supplier for one cycle.</summary>
public sealed class Assessment : IVersioned, ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Supplier? Supplier { get; set; }
    public Guid TemplateId { get; set; }
    public Questionnaires.QuestionnaireTemplate? Template { get; set; }
    public SupplierTier TierAtIssue { get; set; }
    public DateOnly DueDate { get; set; }
    public AssessmentState State { get; set; } = AssessmentState.Issued;
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public Guid? SubmittedBy { get; set; }
    public DateTimeOffset? ScoredAt { get; set; }
    /// <summary>The review workflow instance started on submission.</summary>
    public string? WorkflowInstanceId { get; set; }
    public decimal? OverallScore { get; set; }
    public int? MaturityLevel { get; set; }
    public int? CriticalGapCount { get; set; }
    public RiskRating? RiskRating { get; set; }
    public string? ScoringModelVersion { get; set; }
    /// <summary>The tier policy version that routed this assessment when it was scored (0 = the shipped default); null before scoring.</summary>
    public int? TierPolicyVersion { get; set; }
    /// <summary>The full <see cref="Scoring.ScoreResult"/> as JSON, kept as the snapshot reviewers see.</summary>
    public string? ScoreResultJson { get; set; }
    public long Version { get; set; }
    public List<Answer> Answers { get; set; } = [];
    public List<EvidenceFile> EvidenceFiles { get; set; } = [];

    public bool IsOpenForAnswers => State is AssessmentState.Issued or AssessmentState.InProgress or AssessmentState.Clarification;
}

public sealed class Answer : IVersioned, ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid AssessmentId { get; set; }
    public Guid SupplierId { get; set; }
    public required string QuestionCode { get; set; }
    /// <summary>yes / partial / no / na for yes-partial-no questions, "1".."5" for maturity, free text for text.</summary>
    public string? Value { get; set; }
    public string? NotApplicableReason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public long Version { get; set; }

    /// <summary>The previous cycle's assessment this answer was copied from when the questionnaire was issued; null when typed here.</summary>
    public Guid? CarriedFromAssessmentId { get; set; }

    /// <summary>True while a carried-over answer has not been confirmed or changed by the supplier; submission waits for it.</summary>
    public bool AwaitingConfirmation { get; set; }
}

/// <summary>
/// A file given as evidence for one question of one assessment. Stored outside the web root under <see cref="StorageKey"/>;
/// never overwritten. The file is a version of a library document (<see cref="DocumentId"/>, <see cref="VersionId"/>):
/// uploaded to this question, or linked from the library (<see cref="LinkedAt"/>), sharing the stored bytes.
/// </summary>
public sealed class EvidenceFile : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }
    public required string QuestionCode { get; set; }
    /// <summary>The name the uploader gave, for display and download only; never used as a path.</summary>
    public required string FileName { get; set; }
    /// <summary>Content type found by sniffing the bytes, not taken from the browser.</summary>
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string Sha256 { get; set; }
    public required string StorageKey { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>The library document this file belongs to (null only for rows written outside the upload and link use cases).</summary>
    public Guid? DocumentId { get; set; }

    /// <summary>
    /// The version shown here; name, type, size, hash, storage key and upload facts above repeat that version's. While
    /// the assessment is open a replacement moves this row to the new version; once submitted it keeps its version.
    /// </summary>
    public Guid? VersionId { get; set; }

    /// <summary>Who linked the file here from the library and when; null when it was uploaded to this question.</summary>
    public Guid? LinkedBy { get; set; }
    public DateTimeOffset? LinkedAt { get; set; }
}
