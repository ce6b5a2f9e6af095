using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Reviews;

/// <summary>The audit log kinds of the residual-risk sign-off.</summary>
public static class ResidualRiskAuditKinds
{
    public const string Proposed = "review.residual-risk-proposed";
    public const string Accepted = "review.residual-risk-accepted";
    public const string Declined = "review.residual-risk-declined";
    public const string Withdrawn = "review.residual-risk-withdrawn";
}

/// <summary>Which approvals leave a residual risk that a risk owner must accept before the approval counts.</summary>
public static class ResidualRiskRule
{
    /// <summary>
    /// A conditional approval (minor nonconformities stay open), or an approval of an assessment scored High or
    /// Critical risk. (An approval with a major nonconformity open is refused outright, see <see cref="DecideReviewHandler"/>.)
    /// </summary>
    public static bool NeedsSignOff(ReviewOutcome outcome, RiskRating? rating) =>
        outcome == ReviewOutcome.ConditionallyApprove
        || (outcome == ReviewOutcome.Approve && rating is RiskRating.High or RiskRating.Critical);

    /// <summary>The pending proposal of an assessment, if any (at most one is pending at a time).</summary>
    public static Task<ResidualRiskAcceptance?> PendingAsync(SupplierAssureDbContext db, Guid assessmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<ResidualRiskAcceptance>()
            .Where(r => r.AssessmentId == assessmentId && r.State == ResidualRiskState.Pending)
            .OrderBy(r => r.ProposedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    internal static string Describe(int majors, int minors, RiskRating? rating) =>
        $"{majors} major and {minors} minor nonconformity(ies) open; risk rating {rating?.ToString() ?? "not rated"}.";
}

public sealed record ProposeResidualRiskRequest(Guid AssessmentId, Guid ReviewerId, string? ReviewerName, ReviewOutcome Outcome, string? Reason, string? Client = null);

/// <summary>
/// A reviewer proposes an approval that leaves residual risk (<see cref="ResidualRiskRule.NeedsSignOff"/>). Nothing is
/// decided yet: the assessment stays Under review and its review workflow keeps waiting for a decision, which is
/// recorded only when a risk owner accepts (<see cref="SignOffResidualRiskHandler"/>). The same rules as a decision
/// apply (no major nonconformity open; a conditional approval needs a minor one open; a reason).
/// </summary>
public sealed class ProposeResidualRiskHandler(SupplierAssureDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<ResidualRiskAcceptance>> HandleAsync(ProposeResidualRiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.NotFound());
        }

        if (assessment.State != AssessmentState.UnderReview)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict($"This assessment is not waiting for a review decision; it is {assessment.State}."));
        }

        if (await ResidualRiskRule.PendingAsync(db, assessment.Id, cancellationToken) is not null)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict("An approval of this assessment is already waiting for a risk owner's sign-off."));
        }

        var (majors, minors) = await DecideReviewHandler.OpenNonconformitiesAsync(db, assessment.Id, cancellationToken);
        var errors = DecideReviewHandler.Validate(request.Outcome, request.Reason, majors, minors);
        if (!errors.ContainsKey("Outcome") && !ResidualRiskRule.NeedsSignOff(request.Outcome, assessment.RiskRating))
        {
            errors["Outcome"] = ["This approval leaves no residual risk for a risk owner to accept: record it as a decision."];
        }

        if (!errors.ContainsKey("Reason") && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["Reason"] = ["Give the reason for this approval; the risk owner reads it before signing."];
        }

        if (errors.Count > 0)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Invalid(errors));
        }

        var now = clock.GetUtcNow();
        var proposal = new ResidualRiskAcceptance
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            ProposedOutcome = request.Outcome,
            ProposalReason = request.Reason!.Trim(),
            ResidualRisk = ResidualRiskRule.Describe(majors, minors, assessment.RiskRating),
            ProposedBy = request.ReviewerId,
            ProposedByName = Clip(request.ReviewerName),
            ProposedByClient = Clip(request.Client),
            ProposedAt = now,
        };
        db.Add(proposal);
        // The assessment's version moves with the proposal, so two reviewers proposing (or deciding) at once conflict.
        db.Entry(assessment).Property(a => a.Version).IsModified = true;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict("Someone else decided on this assessment at the same time. Reload to see the decision."));
        }

        await audit.AppendAsync(new AuditRecord(ResidualRiskAuditKinds.Proposed, request.ReviewerId == Guid.Empty ? null : request.ReviewerId,
            proposal.ProposedByName ?? proposal.ProposedByClient, proposal.SupplierId, $"assessment:{proposal.AssessmentId:D}",
            $"{proposal.ProposedOutcome} proposed; waits for a risk owner. {proposal.ResidualRisk} Reason: {proposal.ProposalReason}"), cancellationToken);
        return Outcome<ResidualRiskAcceptance>.Ok(proposal);
    }

    private static string? Clip(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim() is { Length: > ReviewDecision.MaxNameLength } v ? v[..ReviewDecision.MaxNameLength] : value.Trim();
}

public sealed record SignOffResidualRiskRequest(Guid ProposalId, Guid RiskOwnerId, string? RiskOwnerName, bool Accept, string? Reason);

/// <summary>
/// A risk owner's sign-off on a proposed approval. The caller has checked the risk-owner role; this checks the
/// segregation of duties (the proposer cannot sign their own proposal) and that the proposal still holds. Accepting
/// records the proposed approval as the review decision, with the risk owner and their reason, in one transaction
/// with the assessment's state and the supplier's status, then signals the waiting review workflow. Declining leaves
/// the assessment Under review for the reviewer to decide again.
/// </summary>
public sealed class SignOffResidualRiskHandler(SupplierAssureDbContext db, IReviewSignals signals, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<ResidualRiskAcceptance>> HandleAsync(SignOffResidualRiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proposal = await db.Set<ResidualRiskAcceptance>().SingleOrDefaultAsync(r => r.Id == request.ProposalId, cancellationToken);
        if (proposal is null)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.NotFound());
        }

        if (proposal.State != ResidualRiskState.Pending)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict($"This proposal is no longer waiting for a sign-off; it is {proposal.State}."));
        }

        if (request.RiskOwnerId == Guid.Empty || request.RiskOwnerId == proposal.ProposedBy)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Invalid("RiskOwner",
                "You proposed this approval, so another risk owner must sign it off (the proposer cannot accept their own residual risk)."));
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Invalid("Reason", request.Accept
                ? "Say why you accept this residual risk (and until when, or on what condition)."
                : "Say why you do not accept this residual risk, so the reviewer knows what to change."));
        }

        if (request.Reason.Trim().Length > ReviewDecision.MaxTextLength)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Invalid("Reason", $"Keep the reason under {ReviewDecision.MaxTextLength} characters."));
        }

        var now = clock.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(request.RiskOwnerName) ? request.RiskOwnerId.ToString("D") : request.RiskOwnerName.Trim();
        proposal.SignedBy = request.RiskOwnerId;
        proposal.SignedByName = name.Length <= ReviewDecision.MaxNameLength ? name : name[..ReviewDecision.MaxNameLength];
        proposal.SignOffReason = request.Reason.Trim();
        proposal.SignedAt = now;
        if (!request.Accept)
        {
            proposal.State = ResidualRiskState.Declined;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict("Someone else signed or withdrew this proposal at the same time. Reload to see it."));
            }

            await AppendAsync(ResidualRiskAuditKinds.Declined, proposal, $"Residual risk not accepted; the assessment stays with the reviewer. Reason: {proposal.SignOffReason}", cancellationToken);
            return Outcome<ResidualRiskAcceptance>.Ok(proposal);
        }

        var assessment = await db.Assessments.Include(a => a.Supplier).SingleAsync(a => a.Id == proposal.AssessmentId, cancellationToken);
        if (assessment.State != AssessmentState.UnderReview)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict($"This assessment is no longer waiting for a review decision; it is {assessment.State}."));
        }

        // Findings may have changed since the proposal (a major raised): the approval must still be allowed now.
        var (majors, minors) = await DecideReviewHandler.OpenNonconformitiesAsync(db, assessment.Id, cancellationToken);
        if (DecideReviewHandler.Validate(proposal.ProposedOutcome, proposal.ProposalReason, majors, minors).TryGetValue("Outcome", out var stale))
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict($"The findings changed since the proposal: {stale[0]} Decline it so the reviewer decides again."));
        }

        var decision = new ReviewDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Outcome = proposal.ProposedOutcome,
            Reason = proposal.ProposalReason,
            RiskOwner = proposal.SignedByName,
            RiskAcceptance = proposal.SignOffReason,
            DecidedBy = proposal.ProposedBy,
            DecidedByClient = proposal.ProposedByClient,
            DecidedAt = now,
        };
        db.Set<ReviewDecision>().Add(decision);
        proposal.State = ResidualRiskState.Accepted;
        proposal.DecisionId = decision.Id;
        assessment.State = proposal.ProposedOutcome == ReviewOutcome.ConditionallyApprove ? AssessmentState.ConditionallyApproved : AssessmentState.Approved;
        assessment.Supplier!.ValidUntil = now.AddYears(1);
        var reason = $"{(proposal.ProposedOutcome == ReviewOutcome.ConditionallyApprove ? "Conditionally approved" : "Approved")} with {majors + minors} nonconformity(ies) open; residual risk accepted by {proposal.SignedByName}.";
        try
        {
            await ReviewTransaction.SaveWithStatusAsync(db, assessment.Supplier, assessment.State, reason, now, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ResidualRiskAcceptance>.From(Outcome.Conflict("Someone else decided on this assessment at the same time. Reload to see the decision."));
        }

        await AppendAsync(ResidualRiskAuditKinds.Accepted, proposal,
            $"Residual risk accepted; {proposal.ProposedOutcome} recorded (proposed by {proposal.ProposedByName ?? proposal.ProposedByClient}). {proposal.ResidualRisk} Reason: {proposal.SignOffReason}", cancellationToken);
        await ReviewTransaction.SignalAsync(db, signals, decision, clock, cancellationToken);
        return Outcome<ResidualRiskAcceptance>.Ok(proposal);
    }

    private Task AppendAsync(string kind, ResidualRiskAcceptance proposal, string details, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditRecord(kind, proposal.SignedBy, proposal.SignedByName, proposal.SupplierId, $"assessment:{proposal.AssessmentId:D}", details), cancellationToken);
}
