using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.Remediation;

public sealed record VerifyRemediationRequest(Guid RemediationId, Guid VerifierId, bool Effective, string? Note);

/// <summary>
/// The operator's check of an implemented action. Effective: the case and its finding close together (one save),
/// so the approval rule sees the nonconformity closed. Not effective: back to implementation with the grade's rework
/// period, as a new round.
/// </summary>
public sealed class VerifyRemediationHandler(SupplierAssureDbContext db, IRemediationSignals signals, TimeProvider clock)
{
    public Task<Outcome<RemediationCase>> HandleAsync(VerifyRemediationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RemediationText.ApplyAndSaveAsync(db, signals, request.RemediationId, async (remediation, ct) =>
        {
            if (remediation.State != RemediationState.VerificationDue)
            {
                return Outcome.Conflict(RemediationText.MovedOn(remediation.State));
            }

            if (RemediationText.Check(request.Note, request.Effective
                    ? "Record what you checked to find the action effective."
                    : "Say why the action is not effective yet.") is { } problem)
            {
                return Outcome.Invalid("Note", problem);
            }

            var now = clock.GetUtcNow();
            remediation.VerificationNote = request.Note!.Trim();
            remediation.VerifiedBy = request.VerifierId;
            remediation.EscalatedAt = null;
            db.Add(new RemediationVerification
            {
                Id = Guid.NewGuid(),
                RemediationId = remediation.Id,
                SupplierId = remediation.SupplierId,
                Round = remediation.Round,
                Effective = request.Effective,
                Note = remediation.VerificationNote,
                VerifiedBy = request.VerifierId,
                VerifiedAt = now,
            });
            if (request.Effective)
            {
                remediation.Close(now);
                var finding = await db.Set<AssessmentFinding>().SingleAsync(f => f.Id == remediation.FindingId, ct);
                finding.Close(now, "Closed when the corrective action was verified effective.");
            }
            else
            {
                var policy = await new WorkflowPolicyStore(db, clock).GetAsync(remediation.PolicyVersion, ct);
                remediation.State = RemediationState.ImplementationDue;
                remediation.Round++;
                remediation.ImplementationDueAt = now.AddDays(policy.PeriodsFor(remediation.Grade).ReworkDays);
                remediation.ImplementedAt = null;
                remediation.VerificationDueAt = null;
            }

            return null;
        }, cancellationToken);
    }
}
