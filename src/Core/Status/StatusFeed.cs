using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Status;

/// <summary>Changes a supplier's assurance status and appends the matching row to the status change feed.</summary>
public static class StatusFeed
{
    /// <summary>
    /// Records the change on the tracked <paramref name="supplier"/> and adds a feed row; the caller saves both in
    /// one transaction (then calls <see cref="LinkLastSequence"/>). Returns null when nothing changed.
    /// </summary>
    public static StatusChange? Record(SupplierAssureDbContext db, Supplier supplier, AssuranceStatus newStatus, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(supplier);
        var last = db.StatusChanges.Local.Where(c => c.SupplierId == supplier.Id).MaxBy(c => c.Sequence);
        if (supplier.AssuranceStatus == newStatus && supplier.LastStatusSequence != 0 && last is null
            && db.Entry(supplier).Property(s => s.OverallScore).IsModified is false)
        {
            return null; // same status, same score: nothing for watchers to learn
        }

        var change = new StatusChange
        {
            SupplierId = supplier.Id,
            PreviousStatus = supplier.AssuranceStatus,
            NewStatus = newStatus,
            OverallScore = supplier.OverallScore,
            RiskRating = supplier.RiskRating,
            Reason = reason,
            OccurredAt = now,
        };
        supplier.AssuranceStatus = newStatus;
        db.StatusChanges.Add(change);
        return change;
    }

    /// <summary>After the feed row is saved and has its sequence, remember it on the supplier.</summary>
    public static void LinkLastSequence(Supplier supplier, StatusChange change)
    {
        ArgumentNullException.ThrowIfNull(supplier);
        ArgumentNullException.ThrowIfNull(change);
        supplier.LastStatusSequence = change.Sequence;
    }
}
