using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Credentials;

/// <summary>
/// Asks the registry for a credential's type and records its verdict. A retry under the same idempotency key
/// answers with the credential as it now stands and does not ask the registry again.
/// </summary>
public sealed class VerifyCredentialHandler(SupplierAssureDbContext db, IEnumerable<ICredentialRegistry> registries, TimeProvider clock)
{
    public const string Operation = "VerifyCredential";

    // A write that loses the race for the credential row is read and checked again; past this many tries the caller
    // is told to retry rather than looped on.
    private const int MaxAttempts = 3;

    /// <summary>
    /// Verifies credential <paramref name="credentialId"/> of <paramref name="holder"/>, whom the caller has already
    /// been allowed to see. Throws <see cref="RegistryUnavailableException"/> when the registry gives no answer; the
    /// key is then not recorded, so a retry asks again.
    /// </summary>
    public async Task<Outcome<Credential>> HandleAsync(string clientId, string idempotencyKey, Guid credentialId, Supplier holder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(holder);
        if (IdempotencyKey.KeyError(idempotencyKey) is { } keyError)
        {
            return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", keyError));
        }

        var hash = IdempotencyKey.HashOf(credentialId);
        var lookup = await IdempotencyKeys.LookupAsync(db, clientId, idempotencyKey, Operation, hash, cancellationToken);
        if (lookup.Use == KeyUse.Mismatch)
        {
            return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", IdempotencyKeys.MismatchMessage));
        }

        for (var attempt = 1; ; attempt++)
        {
            var credential = await db.Credentials.SingleOrDefaultAsync(c => c.Id == credentialId && c.SupplierId == holder.Id, cancellationToken);
            if (credential is null)
            {
                return Outcome<Credential>.From(Outcome.NotFound());
            }

            if (lookup.Use == KeyUse.Replay)
            {
                return Outcome<Credential>.Ok(credential);
            }

            // The last registered registry for the type wins, as DI's single-service rule, so a host can put its own in front.
            var registry = registries.LastOrDefault(r => r.Handles(credential.Type))
                ?? throw new InvalidOperationException($"No credential registry handles {credential.Type}; register one in the host.");
            var verdict = await registry.CheckAsync(credential, holder, cancellationToken);
            var now = clock.GetUtcNow();
            if (verdict.State != credential.VerificationState || verdict.Note != credential.VerificationNote)
            {
                credential.VerificationState = verdict.State;
                credential.VerificationNote = verdict.Note;
                credential.VerificationSource = registry.Name;
                credential.VerifiedAt = verdict.State == VerificationState.PendingReview ? null : now;
            }

            IdempotencyKeys.Remember(db, clientId, idempotencyKey, Operation, hash, credential.Id, now);
            KeyLookup saved;
            try
            {
                saved = await IdempotencyKeys.SaveAsync(db, clientId, idempotencyKey, Operation, hash, credential.Id, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                if (attempt == MaxAttempts)
                {
                    return Outcome<Credential>.From(Outcome.Conflict("The credential kept changing while it was being verified; nothing was recorded, try again."));
                }

                // The credential changed between our read and our write: the credential monitor's first check right
                // after submission, or a reviewer's decision. Nothing of ours was saved (SaveAsync dropped the tracked
                // changes); read it again and ask again, so the verdict is about the credential as it now stands and a
                // reviewer's decision is not overwritten.
                lookup = await IdempotencyKeys.LookupAsync(db, clientId, idempotencyKey, Operation, hash, cancellationToken);
                if (lookup.Use == KeyUse.Mismatch)
                {
                    return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", IdempotencyKeys.MismatchMessage));
                }

                continue;
            }

            if (saved.Use == KeyUse.Mismatch)
            {
                return Outcome<Credential>.From(Outcome.Invalid("idempotency_key", IdempotencyKeys.MismatchMessage));
            }

            // A concurrent retry may have recorded its verdict first; either way the stored credential is the answer.
            return Outcome<Credential>.Ok(await db.Credentials.AsNoTracking().SingleAsync(c => c.Id == credentialId, cancellationToken));
        }
    }
}

/// <summary>
/// An operator reviewer's decision on a credential that has no public registry (C-TPAT, TAPA, ISO certificates):
/// verified or rejected, with what the evidence showed. The decision changes the supplier's security status as
/// partners read it (its credential list), so it appends a status change feed row in the same transaction: open
/// watch streams learn of it. The supplier's assurance status itself is unchanged.
/// </summary>
public sealed class DecideCredentialReviewHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int MaxNoteLength = 1000;

    /// <summary>Whether a reviewer, rather than a registry, decides credentials of <paramref name="type"/>.</summary>
    public static bool IsManual(CredentialType type) => type is not (CredentialType.EuAeo or CredentialType.Eori);

    public async Task<Outcome<Credential>> HandleAsync(Guid credentialId, bool confirmed, string reviewer, string? note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewer);
        if (string.IsNullOrWhiteSpace(note))
        {
            return Outcome<Credential>.From(Outcome.Invalid("note", "Say what the evidence showed."));
        }

        if (note.Trim().Length > MaxNoteLength)
        {
            return Outcome<Credential>.From(Outcome.Invalid("note", $"At most {MaxNoteLength} characters."));
        }

        var credential = await db.Credentials.SingleOrDefaultAsync(c => c.Id == credentialId, cancellationToken);
        if (credential is null)
        {
            return Outcome<Credential>.From(Outcome.NotFound());
        }

        if (!IsManual(credential.Type))
        {
            return Outcome<Credential>.From(Outcome.Conflict("EU AEO authorisations and EORI numbers are verified against the EU's registries, not by a reviewer."));
        }

        if (credential.VerificationState is not (VerificationState.Unverified or VerificationState.PendingReview))
        {
            return Outcome<Credential>.From(Outcome.Conflict($"This credential was already decided ({credential.VerificationState}) by {credential.VerificationSource}."));
        }

        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == credential.SupplierId, cancellationToken);
        if (supplier is null)
        {
            return Outcome<Credential>.From(Outcome.NotFound());
        }

        var now = clock.GetUtcNow();
        credential.VerificationState = confirmed ? VerificationState.Verified : VerificationState.Rejected;
        credential.VerificationNote = note.Trim();
        credential.VerificationSource = "reviewer:" + reviewer;
        credential.VerifiedAt = now;
        var change = new Status.StatusChange
        {
            SupplierId = supplier.Id,
            PreviousStatus = supplier.AssuranceStatus,
            NewStatus = supplier.AssuranceStatus,
            OverallScore = supplier.OverallScore,
            RiskRating = supplier.RiskRating,
            Reason = $"{credential.Type} credential {credential.Number} {(confirmed ? "verified" : "rejected")} by a reviewer",
            OccurredAt = now,
        };
        db.StatusChanges.Add(change);
        // A confirmed replacement of a credential whose lapse suspended the supplier restores its earlier status.
        var restored = confirmed ? await CredentialReinstatement.RestoreAsync(db, supplier, credential, now, cancellationToken) : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<Credential>.From(Outcome.Conflict("Someone else changed this credential meanwhile; reload and decide again."));
        }

        Status.StatusFeed.LinkLastSequence(supplier, restored ?? change);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome<Credential>.Ok(credential);
    }
}
