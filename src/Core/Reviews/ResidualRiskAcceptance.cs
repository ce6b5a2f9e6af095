using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Reviews;

public enum ResidualRiskState
{
    /// <summary>Proposed by a reviewer; waits for a risk owner.</summary>
    Pending,
    /// <summary>A risk owner accepted the residual risk; the proposed approval was recorded as the review decision.</summary>
    Accepted,
    /// <summary>A risk owner declined; the assessment stays Under review for the reviewer to decide again.</summary>
    Declined,
    /// <summary>The reviewer decided otherwise before a risk owner signed.</summary>
    Withdrawn,
}

/// <summary>
/// A reviewer's proposal to approve an assessment whose residual risk someone must own (minor nonconformities open,
/// or a High or Critical risk rating), and the risk owner's separate sign-off on it. The approval becomes the review
/// decision only when a risk owner other than the proposer accepts it, with a reason. Rows are never deleted.
/// </summary>
public sealed class ResidualRiskAcceptance : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }

    /// <summary><see cref="ReviewOutcome.ConditionallyApprove"/> or <see cref="ReviewOutcome.Approve"/>.</summary>
    public ReviewOutcome ProposedOutcome { get; set; }

    /// <summary>The reviewer's reason for the approval.</summary>
    public string? ProposalReason { get; set; }

    /// <summary>What risk is being accepted, as the proposer saw it (open findings by grade, the risk rating).</summary>
    public required string ResidualRisk { get; set; }

    /// <summary>The proposing reviewer (empty when a procurement system proposed it through the API).</summary>
    public Guid ProposedBy { get; set; }
    public string? ProposedByName { get; set; }
    public string? ProposedByClient { get; set; }
    public DateTimeOffset ProposedAt { get; set; }
    public ResidualRiskState State { get; set; } = ResidualRiskState.Pending;
    public Guid? SignedBy { get; set; }
    public string? SignedByName { get; set; }

    /// <summary>The risk owner's reason for accepting or declining.</summary>
    public string? SignOffReason { get; set; }
    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>The review decision recorded on acceptance.</summary>
    public Guid? DecisionId { get; set; }
    public long Version { get; set; }

    public const int MaxRiskLength = 500;
}

internal sealed class ResidualRiskAcceptanceConfiguration : IEntityTypeConfiguration<ResidualRiskAcceptance>
{
    public void Configure(EntityTypeBuilder<ResidualRiskAcceptance> b)
    {
        b.Property(x => x.ProposedOutcome).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ProposalReason).HasMaxLength(ReviewDecision.MaxTextLength);
        b.Property(x => x.ResidualRisk).HasMaxLength(ResidualRiskAcceptance.MaxRiskLength);
        b.Property(x => x.ProposedByName).HasMaxLength(ReviewDecision.MaxNameLength);
        b.Property(x => x.ProposedByClient).HasMaxLength(ReviewDecision.MaxNameLength);
        b.Property(x => x.SignedByName).HasMaxLength(ReviewDecision.MaxNameLength);
        b.Property(x => x.SignOffReason).HasMaxLength(ReviewDecision.MaxTextLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Assessments.Assessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AssessmentId, x.State });
        // The risk owners' queue: the pending proposals, oldest first.
        b.HasIndex(x => new { x.State, x.ProposedAt });
        b.HasIndex(x => x.SupplierId);
    }
}
