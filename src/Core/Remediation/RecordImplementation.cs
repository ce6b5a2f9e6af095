using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.Remediation;

/// <param name="Evidence">Files staged by <see cref="SecondPartyAudits.AuditFileStager"/>, saved with the implementation; the caller discards them when this refuses.</param>
public sealed record RecordImplementationRequest(Guid RemediationId, Guid UserId, string? ImplementationNote, IReadOnlyList<SecondPartyAudits.AuditFile>? Evidence = null);

/// <summary>The supplier says the action is done; the operator now has the grade's verification period to check it.</summary>
public sealed class RecordImplementationHandler(SupplierAssureDbContext db, IRemediationSignals signals, TimeProvider clock)
{
    public Task<Outcome<RemediationCase>> HandleAsync(RecordImplementationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RemediationText.ApplyAndSaveAsync(db, signals, request.RemediationId, async (remediation, ct) =>
        {
            if (remediation.State != RemediationState.ImplementationDue)
            {
                return Outcome.Conflict(RemediationText.MovedOn(remediation.State));
            }

            if (RemediationText.Check(request.ImplementationNote, "Say what was done and where the evidence is.") is { } problem)
            {
                return Outcome.Invalid("ImplementationNote", problem);
            }

            // The case keeps the policy version it opened under, so its verification period does not move with later edits.
            var policy = await new WorkflowPolicyStore(db, clock).GetAsync(remediation.PolicyVersion, ct);
            var now = clock.GetUtcNow();
            remediation.ImplementationNote = request.ImplementationNote!.Trim();
            remediation.ImplementedAt = now;
            remediation.VerificationDueAt = now.AddDays(policy.PeriodsFor(remediation.Grade).VerificationDays);
            remediation.State = RemediationState.VerificationDue;
            remediation.EscalatedAt = null;
            foreach (var file in request.Evidence ?? [])
            {
                file.RemediationId = remediation.Id;
                file.SupplierId = remediation.SupplierId;
                db.Add(file);
            }

            return null;
        }, cancellationToken);
    }
}
