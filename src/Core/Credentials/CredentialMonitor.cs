using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Credentials;

/// <summary>
/// What one monitoring instance remembers between its checks: when the registry is due to be asked again, and
/// whether the credential has ever stood verified while it watched (only a credential that was verified can be
/// withdrawn; a number that was never found is not a suspension).
/// </summary>
public sealed class CredentialWatchState
{
    public long NextVerificationTicks { get; set; }

    public bool WasVerified { get; set; }
}

/// <summary>What a check found and did, and when to look again (null: the watch is over).</summary>
public sealed record CredentialCheck(
    bool Open,
    DateTimeOffset? NextMoment,
    CredentialWatchState Watch,
    IReadOnlyList<string> Notified,
    string? RegistryProblem);

/// <summary>
/// Credential monitoring, one check at a time (the credential-monitoring workflow calls it and sleeps until the
/// moment it returns): verifies the credential through the registry port on the first check, again every
/// <see cref="WorkflowPolicy.CredentialReverificationDays"/>, warns the supplier's users and procurement
/// <see cref="WorkflowPolicy.CredentialExpiryWarningDays"/> before it expires, and when a credential that was verified
/// is withdrawn by its registry (suspended or revoked: no longer found, or rejected) or reaches its end date, suspends an
/// approved supplier's assurance status with a row in the status change feed and tells both sides.
/// </summary>
/// <remarks>
/// Every visible effect is keyed: notifications by a unique key, the status change by the same transaction as the
/// key's notification. A check that runs again after a crash (committed, but the engine did not record the step)
/// finds the key and does nothing twice.
/// </remarks>
public sealed class CredentialMonitor(SupplierAssureDbContext db, IEnumerable<ICredentialRegistry> registries, TimeProvider clock)
{
    /// <summary>How soon the registry is asked again after it gave no answer.</summary>
    public static readonly TimeSpan RegistryRetryDelay = TimeSpan.FromHours(1);

    public async Task<CredentialCheck> CheckAsync(Guid credentialId, int policyVersion, CredentialWatchState? watch, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        watch ??= new CredentialWatchState();
        var credential = await db.Credentials.SingleOrDefaultAsync(c => c.Id == credentialId, cancellationToken);
        if (credential is null)
        {
            return new CredentialCheck(false, null, watch, [], null); // deleted with its supplier: nothing left to watch
        }

        var supplier = await db.Suppliers.SingleAsync(s => s.Id == credential.SupplierId, cancellationToken);
        var policy = await new WorkflowPolicyStore(db, clock).GetAsync(policyVersion, cancellationToken);
        var notified = new List<string>();
        var now = clock.GetUtcNow();
        watch.WasVerified |= credential.VerificationState == VerificationState.Verified;

        if (credential.ValidUntil is { } end && end <= now)
        {
            await ReactAsync(credential, supplier, "expired", $"its end date {Day(end)} has passed", workflowInstanceId, notified, cancellationToken);
            return new CredentialCheck(false, null, watch, notified, null);
        }

        string? registryProblem = null;
        if (watch.NextVerificationTicks == 0 || new DateTimeOffset(watch.NextVerificationTicks, TimeSpan.Zero) <= now)
        {
            (registryProblem, var askSoon) = await VerifyAsync(credential, supplier, cancellationToken);
            // A registry that did not answer is asked again soon; one that is not configured here, at the interval.
            watch.NextVerificationTicks = (askSoon ? now + RegistryRetryDelay : now.AddDays(policy.CredentialReverificationDays)).UtcTicks;
            watch.WasVerified |= credential.VerificationState == VerificationState.Verified;
        }

        // A verified credential may be the replacement of one whose lapse suspended the supplier (verified here, by
        // a partner's VerifyCredential or by a reviewer): restore the status it had before.
        if (credential.VerificationState == VerificationState.Verified && supplier.AssuranceStatus == AssuranceStatus.Suspended)
        {
            await RestoreAsync(credential, supplier, cancellationToken);
        }

        if (watch.WasVerified && credential.VerificationState is VerificationState.NotFoundInRegistry or VerificationState.Rejected)
        {
            var why = credential.VerificationState == VerificationState.Rejected
                ? "it was rejected after having been verified"
                : $"{credential.VerificationSource ?? "its registry"} no longer lists it (suspended or revoked)";
            await ReactAsync(credential, supplier, "withdrawn", why, workflowInstanceId, notified, cancellationToken);
            return new CredentialCheck(false, null, watch, notified, registryProblem);
        }

        DateTimeOffset? warningAt = null;
        if (credential.ValidUntil is { } until)
        {
            warningAt = until.AddDays(-policy.CredentialExpiryWarningDays);
            if (warningAt <= now)
            {
                await WarnAsync(credential, supplier, until, workflowInstanceId, notified, cancellationToken);
                warningAt = null;
            }
        }

        var next = new DateTimeOffset(watch.NextVerificationTicks, TimeSpan.Zero);
        foreach (var moment in new[] { warningAt, credential.ValidUntil })
        {
            if (moment is { } m && m > now && m < next)
            {
                next = m;
            }
        }

        return new CredentialCheck(true, next, watch, notified, registryProblem);
    }

    /// <summary>Asks the registry for the credential's type; returns why it could not (null when it answered) and whether to ask again soon.</summary>
    private async Task<(string? Problem, bool AskSoon)> VerifyAsync(Credential credential, Supplier supplier, CancellationToken cancellationToken)
    {
        // The last registered registry for the type wins, as DI's single-service rule, so a host can put its own in front.
        var registry = registries.LastOrDefault(r => r.Handles(credential.Type));
        if (registry is null)
        {
            return ($"No credential registry for {credential.Type} is configured in this process.", false);
        }

        RegistryVerdict verdict;
        try
        {
            verdict = await registry.CheckAsync(credential, supplier, cancellationToken);
        }
        catch (RegistryUnavailableException ex)
        {
            // Nothing was learned; the credential stays as it was and the caller logs this and asks again later.
            return (ex.Message, true);
        }

        if (verdict.State == credential.VerificationState && verdict.Note == credential.VerificationNote)
        {
            return (null, false);
        }

        credential.VerificationState = verdict.State;
        credential.VerificationNote = verdict.Note;
        credential.VerificationSource = registry.Name;
        credential.VerifiedAt = verdict.State == VerificationState.PendingReview ? null : clock.GetUtcNow();
        // A concurrent change (a partner's verify, a reviewer's decision) fails this save; the engine retries the
        // step, which reads the credential again.
        await db.SaveChangesAsync(cancellationToken);
        return (null, false);
    }

    private async Task RestoreAsync(Credential credential, Supplier supplier, CancellationToken cancellationToken)
    {
        var change = await CredentialReinstatement.RestoreAsync(db, supplier, credential, clock.GetUtcNow(), cancellationToken);
        if (change is null)
        {
            return;
        }

        // The supplier row's concurrency check makes a second run (or a racing decision) fail here rather than
        // restore twice; the engine retries the step, which then finds the status no longer Suspended.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        StatusFeed.LinkLastSequence(supplier, change);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task WarnAsync(Credential credential, Supplier supplier, DateTimeOffset until, string? workflowInstanceId, List<string> notified, CancellationToken cancellationToken)
    {
        var prefix = $"credential:{credential.Id:N}:{Day(until)}:expiry-warning";
        var label = Label(credential);
        var drafts = new[]
        {
            new NotificationDraft(prefix + ":supplier", NotificationKind.Reminder,
                $"Your {label} expires on {Day(until)}",
                $"The {label} we hold for {supplier.LegalName} ends on {Day(until)}. Have the renewed credential submitted before then, or your assurance status will be suspended when it lapses.",
                null, supplier.Id, supplier.Id, null, until, workflowInstanceId),
            new NotificationDraft(prefix + ":procurement", NotificationKind.Reminder,
                $"{supplier.LegalName}: {label} expires on {Day(until)}",
                $"The {label} of {supplier.LegalName} ends on {Day(until)}. Its assurance status is suspended on that day unless a renewed credential is submitted.",
                $"/Suppliers/{supplier.Id:D}", supplier.Id, null, Roles.ProcurementManager, until, workflowInstanceId),
        };
        foreach (var draft in drafts)
        {
            if (await NotificationOutbox.ExistsAsync(db, draft.Key, cancellationToken))
            {
                continue;
            }

            NotificationOutbox.Add(db, draft, clock.GetUtcNow());
            if (await SaveUnlessKeyTakenAsync(draft.Key, cancellationToken))
            {
                notified.Add(draft.Key);
            }
        }
    }

    /// <summary>
    /// Suspends an approved (or conditionally approved) supplier, or records the event in the feed with its status
    /// unchanged otherwise, and tells the supplier's users and procurement: all in one transaction, once per key.
    /// </summary>
    private async Task ReactAsync(Credential credential, Supplier supplier, string occurrence, string why, string? workflowInstanceId, List<string> notified, CancellationToken cancellationToken)
    {
        var key = $"credential:{credential.Id:N}:{occurrence}";
        if (await NotificationOutbox.ExistsAsync(db, key, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var label = Label(credential);
        var reason = $"{label} {occurrence}: {why}";
        StatusChange change;
        if (supplier.AssuranceStatus is AssuranceStatus.Approved or AssuranceStatus.ConditionallyApproved)
        {
            change = StatusFeed.Record(db, supplier, AssuranceStatus.Suspended, reason, now)!;
        }
        else
        {
            // Nothing to suspend, but partners watching the feed still learn that a credential lapsed.
            change = new StatusChange
            {
                SupplierId = supplier.Id,
                PreviousStatus = supplier.AssuranceStatus,
                NewStatus = supplier.AssuranceStatus,
                OverallScore = supplier.OverallScore,
                RiskRating = supplier.RiskRating,
                Reason = reason,
                OccurredAt = now,
            };
            db.StatusChanges.Add(change);
        }

        var suspended = change.NewStatus == AssuranceStatus.Suspended && change.PreviousStatus != AssuranceStatus.Suspended;
        var consequence = suspended ? " Your assurance status is suspended until it is replaced and reassessed." : string.Empty;
        NotificationOutbox.Add(db, new NotificationDraft(key, NotificationKind.Escalation,
            $"{supplier.LegalName}: {label} {occurrence}",
            $"The {label} of {supplier.LegalName} is no longer valid: {why}.{(suspended ? " Its assurance status was suspended." : string.Empty)}",
            $"/Suppliers/{supplier.Id:D}", supplier.Id, null, Roles.ProcurementManager, credential.ValidUntil, workflowInstanceId), now);
        NotificationOutbox.Add(db, new NotificationDraft(key + ":supplier", NotificationKind.Escalation,
            $"Your {label} is no longer valid",
            $"The {label} we hold for {supplier.LegalName} is no longer valid: {why}.{consequence}",
            null, supplier.Id, supplier.Id, null, credential.ValidUntil, workflowInstanceId), now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run reacted first (same key): its transaction holds the status change. Anything else is thrown.
            if (await KeyStoredElsewhereAsync(key, cancellationToken))
            {
                return;
            }

            throw;
        }

        StatusFeed.LinkLastSequence(supplier, change);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        notified.Add(key);
    }

    private async Task<bool> SaveUnlessKeyTakenAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            if (await KeyStoredElsewhereAsync(key, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    private async Task<bool> KeyStoredElsewhereAsync(string key, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await NotificationOutbox.ExistsAsync(db, key, cancellationToken);
    }

    /// <summary>Whether <paramref name="reason"/> is the reason this monitor gave when <paramref name="credential"/> was withdrawn or expired.</summary>
    internal static bool IsLapseReason(Credential credential, string reason) =>
        reason.StartsWith($"{Label(credential)} withdrawn:", StringComparison.Ordinal)
        || reason.StartsWith($"{Label(credential)} expired:", StringComparison.Ordinal);

    internal static string Label(Credential credential) => credential.Type switch
    {
        CredentialType.EuAeo => $"EU AEO authorisation {credential.Number}",
        CredentialType.CTpat => $"C-TPAT certification {credential.Number}",
        CredentialType.TapaFsr => $"TAPA FSR certificate {credential.Number}",
        CredentialType.TapaTsr => $"TAPA TSR certificate {credential.Number}",
        CredentialType.Iso28000 => $"ISO 28000 certificate {credential.Number}",
        CredentialType.IsoIec27001 => $"ISO/IEC 27001 certificate {credential.Number}",
        CredentialType.Eori => $"EORI number {credential.Number}",
        _ => $"credential {credential.Number}",
    };

    private static string Day(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
