using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
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
    string? RiskOwner = null,
    string? RiskAcceptance = null,
    string? Client = null);

/// <summary>
/// A reviewer's decision on an assessment Under review. Approval needs no open nonconformity; with only minor ones
/// open the assessment can be approved conditionally, with the risk owner's acceptance recorded; a major one open
/// blocks approval. The assessment's state, the supplier's assurance status and its status feed row change in one
/// transaction with the decision, then the waiting workflow is signalled.
/// </summary>
public sealed class DecideReviewHandler(SupplierAssureDbContext db, IReviewSignals signals, TimeProvider clock)
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

        var open = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == assessment.Id && f.State == AssessmentFindingState.Open)
            .GroupBy(f => f.Grade)
            .Select(g => new { Grade = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Grade, g => g.Count, cancellationToken);
        var majors = open.GetValueOrDefault(NonconformityGrade.MajorNonconformity);
        var minors = open.GetValueOrDefault(NonconformityGrade.MinorNonconformity);
        var errors = Validate(request, majors, minors);
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
            RiskOwner = request.Outcome == ReviewOutcome.ConditionallyApprove ? Clean(request.RiskOwner) : null,
            RiskAcceptance = request.Outcome == ReviewOutcome.ConditionallyApprove ? Clean(request.RiskAcceptance) : null,
            DecidedBy = request.ReviewerId,
            DecidedByClient = Clean(request.Client),
            DecidedAt = now,
        };
        db.Set<ReviewDecision>().Add(decision);
        var reason = request.Outcome switch
        {
            ReviewOutcome.Approve => "Approved by a reviewer.",
            ReviewOutcome.ConditionallyApprove => $"Conditionally approved with {minors} minor nonconformity(ies) open; risk accepted by {decision.RiskOwner}.",
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

        await ReviewTransaction.SignalAsync(db, signals, decision, clock, cancellationToken);
        return Outcome<ReviewDecision>.Ok(decision);
    }

    private static Dictionary<string, string[]> Validate(DecideReviewRequest request, int majors, int minors)
    {
        var errors = new Dictionary<string, string[]>();
        switch (request.Outcome)
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

        if (request.Outcome is ReviewOutcome.ConditionallyApprove or ReviewOutcome.Reject or ReviewOutcome.Return or ReviewOutcome.ReturnForClarification)
        {
            Require(errors, "Reason", request.Reason, ReviewDecision.MaxTextLength, "Give the reason for this decision.");
        }
        else if (request.Reason is { Length: > ReviewDecision.MaxTextLength })
        {
            errors["Reason"] = [$"Keep the reason under {ReviewDecision.MaxTextLength} characters."];
        }

        if (request.Outcome == ReviewOutcome.ConditionallyApprove)
        {
            Require(errors, "RiskOwner", request.RiskOwner, ReviewDecision.MaxNameLength, "Name the risk owner who accepts the open minor nonconformities.");
            Require(errors, "RiskAcceptance", request.RiskAcceptance, ReviewDecision.MaxTextLength, "Record the risk owner's acceptance.");
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
