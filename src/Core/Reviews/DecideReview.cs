using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Status;

namespace SupplierAssure.Core.Reviews;

public sealed record DecideReviewRequest(
    Guid AssessmentId,
    Guid ReviewerId,
    ReviewOutcome Outcome,
    string? Reason,
    string? Client = null);

/// <summary>
/// A reviewer's decision on an assessment Under review. Approval needs no open nonconformity; with only minor ones
/// open the assessment can be approved conditionally; a major one open blocks approval. An approval that leaves
/// residual risk (conditional, or a High or Critical risk rating) is not decided here: the reviewer proposes it
/// (<see cref="ProposeResidualRiskHandler"/>) and it becomes the decision when a risk owner signs it off. The
/// assessment's state, the supplier's assurance status and its status feed row change in one transaction with the
/// decision, then the waiting workflow is signalled. A decision made while a proposal waits withdraws the proposal.
/// </summary>
public sealed class DecideReviewHandler(SupplierAssureDbContext db, IReviewSignals signals, TimeProvider clock, AuditLog? audit = null)
{
    public async Task<Outcome<ReviewDecision>> HandleAsync(DecideReviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.Include(a => a.Supplier)
            .SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<ReviewDecision>.From(Outcome.NotFound());
        }

        if (assessment.State != AssessmentState.UnderReview)
        {
            return Outcome<ReviewDecision>.From(Outcome.Conflict($"This assessment is not waiting for a review decision; it is {assessment.State}."));
        }

        var (majors, minors) = await OpenNonconformitiesAsync(db, assessment.Id, cancellationToken);
        var errors = Validate(request.Outcome, request.Reason, majors, minors);
        if (!errors.ContainsKey("Outcome") && ResidualRiskRule.NeedsSignOff(request.Outcome, assessment.RiskRating))
        {
            errors["Outcome"] = [$"This approval leaves residual risk ({ResidualRiskRule.Describe(majors, minors, assessment.RiskRating)}): propose it for a risk owner's sign-off."];
        }

        var questioned = 0;
        if (request.Outcome == ReviewOutcome.ReturnForClarification)
        {
            // The supplier is asked about the questions a reviewer commented on since this submission; without one
            // it would not know what to clarify.
            var threads = await ReviewComments.ThreadsAsync(db, assessment.Id, cancellationToken);
            questioned = ReviewComments.OpenQuestions(threads, assessment.SubmittedAt).Count;
            if (questioned == 0)
            {
                errors["Comments"] = ["Comment on at least one question first: those are the questions the supplier is asked to clarify."];
            }
        }

        if (errors.Count > 0)
        {
            return Outcome<ReviewDecision>.From(Outcome.Invalid(errors));
        }

        var now = clock.GetUtcNow();
        var withdrawn = await ResidualRiskRule.PendingAsync(db, assessment.Id, cancellationToken);
        if (withdrawn is not null)
        {
            withdrawn.State = ResidualRiskState.Withdrawn;
        }

        assessment.State = request.Outcome switch
        {
            ReviewOutcome.Approve => AssessmentState.Approved,
            ReviewOutcome.ConditionallyApprove => AssessmentState.ConditionallyApproved,
            ReviewOutcome.Reject => AssessmentState.Rejected,
            ReviewOutcome.ReturnForClarification => AssessmentState.Clarification,
            _ => AssessmentState.InProgress,
        };
        var supplier = assessment.Supplier!;
        if (request.Outcome is ReviewOutcome.Approve or ReviewOutcome.ConditionallyApprove)
        {
            supplier.ValidUntil = now.AddYears(1);
        }

        var decision = new ReviewDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            AssessmentId = assessment.Id,
            Outcome = request.Outcome,
            Reason = Clean(request.Reason),
            DecidedBy = request.ReviewerId,
            DecidedByClient = Clean(request.Client),
            DecidedAt = now,
        };
        db.Set<ReviewDecision>().Add(decision);
        var reason = request.Outcome switch
        {
            ReviewOutcome.Approve => "Approved by a reviewer.",
            ReviewOutcome.Reject => "Rejected by a reviewer.",
            ReviewOutcome.ReturnForClarification => $"Returned to the supplier to clarify {questioned} question(s).",
            _ => "Returned to the supplier for changes.",
        };
        try
        {
            await ReviewTransaction.SaveWithStatusAsync(db, supplier, assessment.State, reason, now, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ReviewDecision>.From(Outcome.Conflict("Someone else decided on this assessment at the same time. Reload to see the decision."));
        }

        if (withdrawn is not null && audit is not null)
        {
            await audit.AppendAsync(new AuditRecord(ResidualRiskAuditKinds.Withdrawn, request.ReviewerId == Guid.Empty ? null : request.ReviewerId,
                Clean(request.Client), assessment.SupplierId, $"assessment:{assessment.Id:D}",
                $"The {withdrawn.ProposedOutcome} waiting for a risk owner was withdrawn by a {request.Outcome} decision."), cancellationToken);
        }

        await ReviewTransaction.SignalAsync(db, signals, decision, clock, cancellationToken);
        return Outcome<ReviewDecision>.Ok(decision);
    }

    /// <summary>
    /// Whether <paramref name="outcome"/> on this assessment leaves residual risk for a risk owner to accept, so it is
    /// proposed (<see cref="ProposeResidualRiskHandler"/>) rather than decided. False for an unknown assessment.
    /// </summary>
    public async Task<bool> NeedsSignOffAsync(Guid assessmentId, ReviewOutcome outcome, CancellationToken cancellationToken)
    {
        var rating = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId)
            .Select(a => new { a.RiskRating }).SingleOrDefaultAsync(cancellationToken);
        return rating is not null && ResidualRiskRule.NeedsSignOff(outcome, rating.RiskRating);
    }

    /// <summary>The assessment's open major and minor nonconformities.</summary>
    internal static async Task<(int Majors, int Minors)> OpenNonconformitiesAsync(SupplierAssureDbContext db, Guid assessmentId, CancellationToken cancellationToken)
    {
        var open = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == assessmentId && f.State == AssessmentFindingState.Open)
            .GroupBy(f => f.Grade)
            .Select(g => new { Grade = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Grade, g => g.Count, cancellationToken);
        return (open.GetValueOrDefault(NonconformityGrade.MajorNonconformity), open.GetValueOrDefault(NonconformityGrade.MinorNonconformity));
    }

    /// <summary>The rules every decision (and a proposal for the risk owner) obeys, by outcome and open nonconformities.</summary>
    internal static Dictionary<string, string[]> Validate(ReviewOutcome outcome, string? reason, int majors, int minors)
    {
        var errors = new Dictionary<string, string[]>();
        switch (outcome)
        {
            case ReviewOutcome.Approve when majors + minors > 0:
                errors["Outcome"] = [$"{majors} major and {minors} minor nonconformity(ies) are open: approve conditionally (minor only) or reject."];
                break;
            case ReviewOutcome.ConditionallyApprove when majors > 0:
                errors["Outcome"] = [$"{majors} major nonconformity(ies) are open; they must be closed before any approval."];
                break;
            case ReviewOutcome.ConditionallyApprove when minors == 0:
                errors["Outcome"] = ["No minor nonconformity is open, so there is no risk to accept: approve instead."];
                break;
            case ReviewOutcome.AuditCompleted:
                errors["Outcome"] = ["An audit is completed from the audit, not from a review decision."];
                break;
            case ReviewOutcome.Approve:
            case ReviewOutcome.ConditionallyApprove:
            case ReviewOutcome.Reject:
            case ReviewOutcome.Return:
            case ReviewOutcome.ReturnForClarification:
                break;
            default:
                errors["Outcome"] = ["Choose approve, approve conditionally, reject, return, or return for clarification."];
                break;
        }

        if (outcome is ReviewOutcome.ConditionallyApprove or ReviewOutcome.Reject or ReviewOutcome.Return or ReviewOutcome.ReturnForClarification)
        {
            Require(errors, "Reason", reason, ReviewDecision.MaxTextLength, "Give the reason for this decision.");
        }
        else if (reason is { Length: > ReviewDecision.MaxTextLength })
        {
            errors["Reason"] = [$"Keep the reason under {ReviewDecision.MaxTextLength} characters."];
        }

        return errors;
    }

    private static void Require(Dictionary<string, string[]> errors, string field, string? value, int maxLength, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [message];
        }
        else if (value.Trim().Length > maxLength)
        {
            errors[field] = [$"Keep this under {maxLength} characters."];
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The save-and-signal sequence every review use case shares.</summary>
internal static class ReviewTransaction
{
    /// <summary>Saves the tracked changes with the supplier's new assurance status and its feed row, atomically.</summary>
    public static async Task SaveWithStatusAsync(
        SupplierAssureDbContext db, Suppliers.Supplier supplier, AssessmentState state, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var change = StatusFeed.Record(db, supplier, ReviewRoutingPolicy.AssuranceFor(state), reason, now);
        await db.SaveChangesAsync(cancellationToken);
        if (change is not null)
        {
            StatusFeed.LinkLastSequence(supplier, change);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Signals the workflow after the commit (it must never hear of a decision that was rolled back), then marks the
    /// decision signalled. A crash in between leaves SignalledAt empty and the engine signals it again on start;
    /// a second signal is harmless because the workflow consumes the first and no longer waits.
    /// </summary>
    public static async Task SignalAsync(SupplierAssureDbContext db, IReviewSignals signals, ReviewDecision decision, TimeProvider clock, CancellationToken cancellationToken)
    {
        await signals.DecisionRecordedAsync(decision, cancellationToken);
        var at = clock.GetUtcNow();
        await db.Set<ReviewDecision>()
            .Where(d => d.Id == decision.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SignalledAt, at), cancellationToken);
        decision.SignalledAt = at;
    }
}
