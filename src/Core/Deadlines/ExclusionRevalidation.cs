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
/// asked to confirm the exclusion still holds. Confirming is recording the tier again (a new tier decision, Excluded
/// or another tier), which starts the next period; the request is keyed by the decision, so it is sent once per period.
/// </summary>
public sealed class ExclusionRevalidation(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <param name="watchStartedAt">When the watching instance started: the period's start for a supplier excluded without a recorded decision.</param>
    public async Task<ExclusionCheck> CheckAsync(Guid supplierId, DateTimeOffset watchStartedAt, string? workflowInstanceId, CancellationToken cancellationToken)
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
        if (clock.GetUtcNow() < dueAt)
        {
            return new ExclusionCheck(true, dueAt, dueAt, null);
        }

        var period = decision is { Tier: SupplierTier.Excluded } ? decision.Id.ToString("N") : "unrecorded";
        var key = $"exclusion:{supplierId:N}:{period}:revalidation";
        if (await NotificationOutbox.ExistsAsync(db, key, cancellationToken))
        {
            return new ExclusionCheck(true, dueAt, null, null);
        }

        var since = start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        NotificationOutbox.Add(db, new NotificationDraft(key, NotificationKind.Reminder,
            $"Confirm the exclusion of {supplier.LegalName}",
            $"{supplier.LegalName} has been excluded from security assessment since {since}. The tier policy asks for this to be confirmed every {policy.ExcludedRevalidationMonths} months: record its tier again, as Excluded with the reason it still holds, or as the tier it now needs.",
            $"/Suppliers/{supplierId:D}/Tier", supplierId, null, Roles.ProcurementManager, dueAt, workflowInstanceId), clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await NotificationOutbox.ExistsAsync(db, key, cancellationToken))
            {
                throw;
            }

            return new ExclusionCheck(true, dueAt, null, null);
        }

        return new ExclusionCheck(true, dueAt, null, key);
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
