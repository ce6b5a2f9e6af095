using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Reviews;

public enum ReviewOutcome
{
    Approve,
    /// <summary>Approved with minor nonconformities open; needs the risk owner's recorded acceptance.</summary>
    ConditionallyApprove,
    Reject,
    /// <summary>Sent back to the supplier to change answers and submit again.</summary>
    Return,
    /// <summary>The second-party audit is done and its findings are recorded; a reviewer decides next.</summary>
    AuditCompleted,
    /// <summary>Sent back with questions on some answers (review comments); the review waits for the resubmission.</summary>
    ReturnForClarification,
}

/// <summary>
/// A person's decision on an assessment in review or audit: who, when, what, why, and for a conditional approval
/// who accepted the remaining risk. Append-only. <see cref="SignalledAt"/> is set once the waiting workflow has been
/// told, so that a decision committed just before a crash is signalled again when an engine starts.
/// </summary>
public sealed class ReviewDecision : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }
    public ReviewOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public string? RiskOwner { get; set; }
    public string? RiskAcceptance { get; set; }
    public Guid DecidedBy { get; set; }

    /// <summary>The procurement system's client id when the decision came through the API (then <see cref="DecidedBy"/> is empty).</summary>
    public string? DecidedByClient { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public DateTimeOffset? SignalledAt { get; set; }

    public const int MaxTextLength = 2000;
    public const int MaxNameLength = 200;
}

internal sealed class ReviewDecisionConfiguration : IEntityTypeConfiguration<ReviewDecision>
{
    public void Configure(EntityTypeBuilder<ReviewDecision> b)
    {
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Reason).HasMaxLength(ReviewDecision.MaxTextLength);
        b.Property(x => x.RiskOwner).HasMaxLength(ReviewDecision.MaxNameLength);
        b.Property(x => x.RiskAcceptance).HasMaxLength(ReviewDecision.MaxTextLength);
        b.Property(x => x.DecidedByClient).HasMaxLength(ReviewDecision.MaxNameLength);
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AssessmentId, x.DecidedAt });
        b.HasIndex(x => x.SupplierId);
        // Engine start looks for decisions the workflow was never told about.
        b.HasIndex(x => x.SignalledAt);
    }
}

/// <summary>Tells the waiting review workflow that a decision was recorded. Implemented by the workflow engine.</summary>
public interface IReviewSignals
{
    Task DecisionRecordedAsync(ReviewDecision decision, CancellationToken cancellationToken);
}
