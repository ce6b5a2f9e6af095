using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Deadlines;

/// <summary>Whether the supplier is still excluded, when its exclusion is (or was) due to be confirmed, and what was sent.</summary>
public sealed record ExclusionCheck(bool Open, DateTimeOffset? DueAt, DateTimeOffset? NextMoment, string? Notified);

/// <summary>
/// Periodic re-validation of an Excluded supplier: the tier policy's <see cref="TierPolicy.ExcludedRevalidationMonths"/>
/// after the decision that excluded it (with the tier policy version that decision was made under), procurement is
/// asked to confirm the exclusion still holds; when it is still not confirmed the workflow policy's
/// <see cref="Policies.WorkflowPolicy.EscalationDaysAfter"/> later, the request is escalated to procurement. Confirming
/// is recording the tier again (a new tier decision, Excluded or another tier), which starts the next period; the
/// request and the escalation are keyed by the decision, so each is sent once per period.
/// </summary>
public sealed class ExclusionRevalidation(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <param name="watchStartedAt">When the watching instance started: the period's start for a supplier excluded without a recorded decision.</param>
    /// <param name="workflowPolicyVersion">The workflow policy version the watch started with (its escalation delay).</param>
    public async Task<ExclusionCheck> CheckAsync(Guid supplierId, DateTimeOffset watchStartedAt, int workflowPolicyVersion, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var supplier = await db.Suppliers.AsNoTracking()
            .Where(s => s.Id == supplierId)
            .Select(s => new { s.Id, s.LegalName, s.Tier })
            .SingleOrDefaultAsync(cancellationToken);
        if (supplier is null || supplier.Tier != SupplierTier.Excluded)
        {
            return new ExclusionCheck(false, null, null, null);
        }

        var decision = await db.TierDecisions.AsNoTracking()
            .Where(d => d.SupplierId == supplierId)
            .OrderByDescending(d => d.DecidedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var policy = await PolicyAsync(decision?.PolicyVersion, cancellationToken);
        var start = decision is { Tier: SupplierTier.Excluded } ? decision.DecidedAt : watchStartedAt;
        var dueAt = start.AddMonths(policy.ExcludedRevalidationMonths);
        var now = clock.GetUtcNow();
        if (now < dueAt)
        {
            return new ExclusionCheck(true, dueAt, dueAt, null);
        }

        var period = decision is { Tier: SupplierTier.Excluded } ? decision.Id.ToString("N") : "unrecorded";
        var escalateAt = dueAt.AddDays((await new Policies.WorkflowPolicyStore(db, clock).GetAsync(workflowPolicyVersion, cancellationToken)).EscalationDaysAfter);
        var since = start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var due = dueAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Of the two moments passed at once (an engine that was down), only the latest is sent, as for other deadlines.
        var draft = now >= escalateAt
            ? new NotificationDraft($"exclusion:{supplierId:N}:{period}:escalation", NotificationKind.Escalation,
                $"Overdue: confirm the exclusion of {supplier.LegalName}",
                $"The exclusion of {supplier.LegalName} (since {since}) was due to be confirmed on {due} and nobody has recorded its tier since. Until someone does, it stays outside security assessment without a current reason: record its tier again, as Excluded with the reason it still holds, or as the tier it now needs.",
                $"/Suppliers/{supplierId:D}/Tier", supplierId, null, Roles.ProcurementManager, dueAt, workflowInstanceId)
            : new NotificationDraft($"exclusion:{supplierId:N}:{period}:revalidation", NotificationKind.Reminder,
                $"Confirm the exclusion of {supplier.LegalName}",
                $"{supplier.LegalName} has been excluded from security assessment since {since}. The tier policy asks for this to be confirmed every {policy.ExcludedRevalidationMonths} months: record its tier again, as Excluded with the reason it still holds, or as the tier it now needs.",
                $"/Suppliers/{supplierId:D}/Tier", supplierId, null, Roles.ProcurementManager, dueAt, workflowInstanceId);
        DateTimeOffset? next = now >= escalateAt ? null : escalateAt;
        if (await NotificationOutbox.ExistsAsync(db, draft.Key, cancellationToken))
        {
            return new ExclusionCheck(true, dueAt, next, null);
        }

        NotificationOutbox.Add(db, draft, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await NotificationOutbox.ExistsAsync(db, draft.Key, cancellationToken))
            {
                throw;
            }

            return new ExclusionCheck(true, dueAt, next, null);
        }

        return new ExclusionCheck(true, dueAt, next, draft.Key);
    }

    private async Task<TierPolicy> PolicyAsync(int? version, CancellationToken cancellationToken)
    {
        if (version is { } v)
        {
            var stored = await db.TierPolicyVersions.AsNoTracking().SingleOrDefaultAsync(p => p.Version == v, cancellationToken);
            if (stored is not null)
            {
                return TierPolicy.Parse(stored.Json, stored.Version);
            }
        }

        // The decision was made under the shipped default (no published version), or none is recorded.
        return await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
    }
}
