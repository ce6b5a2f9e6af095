using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Credentials;

/// <summary>
/// Undoes a credential-lapse suspension once a replacement stands verified: when the supplier's last status change
/// was <see cref="CredentialMonitor"/> suspending it because a credential of some type was withdrawn or expired, and
/// now another credential of that type, still within its dates, is verified, the supplier gets back the status it
/// had before the suspension, with a row in the status change feed. Any other change since (a review decision, a
/// suspension for another reason) means a person's judgement is in force, and nothing is restored.
/// </summary>
public static class CredentialReinstatement
{
    /// <summary>
    /// Records the restoration on the tracked <paramref name="supplier"/> and adds its feed row (the caller saves in
    /// one transaction, then calls <see cref="StatusFeed.LinkLastSequence"/>); null when nothing is to be restored.
    /// </summary>
    public static async Task<StatusChange?> RestoreAsync(SupplierAssureDbContext db, Supplier supplier, Credential replacement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(supplier);
        ArgumentNullException.ThrowIfNull(replacement);
        if (supplier.AssuranceStatus != AssuranceStatus.Suspended
            || replacement.VerificationState != VerificationState.Verified
            || replacement.ValidUntil is { } until && until <= now
            || replacement.ValidFrom is { } from && from > now)
        {
            return null;
        }

        // The last row that changed the status (rows with the status unchanged only tell watchers of an event).
        var suspension = await db.StatusChanges.AsNoTracking()
            .Where(c => c.SupplierId == supplier.Id && c.PreviousStatus != c.NewStatus)
            .OrderByDescending(c => c.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        if (suspension is not { NewStatus: AssuranceStatus.Suspended }
            || suspension.PreviousStatus is not (AssuranceStatus.Approved or AssuranceStatus.ConditionallyApproved))
        {
            return null;
        }

        var lapsed = await db.Credentials.AsNoTracking()
            .Where(c => c.SupplierId == supplier.Id && c.Type == replacement.Type && c.Id != replacement.Id)
            .ToListAsync(cancellationToken);
        var cause = lapsed.FirstOrDefault(c => CredentialMonitor.IsLapseReason(c, suspension.Reason));
        if (cause is null)
        {
            return null;
        }

        return StatusFeed.Record(db, supplier, suspension.PreviousStatus,
            $"{CredentialMonitor.Label(replacement)} verified, replacing {CredentialMonitor.Label(cause)}: assurance status restored",
            now);
    }
}
