using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Auditing;

/// <summary>What happened, by whom, to what; the log adds the time, the sequence number and the hashes.</summary>
public sealed record AuditRecord(string Kind, Guid? ActorId, string? Actor, Guid? SupplierId = null, string? Subject = null, string? Details = null);

/// <summary>The verifier's answer: intact, or the first entry that was edited, removed or reordered and why.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// Appends to and verifies the hash-chained audit log. Entries are only ever inserted; nothing in the application
/// updates or deletes them, and the verifier finds it when something outside the application did.
/// </summary>
public sealed class AuditLog(IDbContextFactory<SupplierAssureDbContext> contexts, TimeProvider clock)
{
    /// <summary>The previous hash of entry 1.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int MaxAttempts = 10;

    // Note: an entry is written in its own context and transaction, after the change it records has been saved.
    // A crash between the two loses the entry; the alternative, one transaction with every caller's change,
    // would make every writer of the log contend on its tail for as long as its own work takes.
    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var entry = new AuditEntry
            {
                Sequence = (last?.Sequence ?? 0) + 1,
                // Whole milliseconds, so what the database gives back hashes the same as what was written.
                OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
                Kind = record.Kind,
                ActorId = record.ActorId,
                Actor = Truncate(record.Actor, 256),
                SupplierId = record.SupplierId,
                Subject = Truncate(record.Subject, 256),
                Details = Truncate(record.Details, 2000),
                PreviousHash = last?.Hash ?? Genesis,
                Hash = string.Empty,
            };
            entry.Hash = ComputeHash(entry);
            db.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return entry;
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Another writer took this sequence number (the primary key): read the new tail and chain onto it.
            }
        }
    }

    /// <summary>Walks the chain from entry 1 and names the first entry that does not fit.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expectedSequence = 1L;
        var previousHash = Genesis;
        long checkedCount = 0;
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Sequence != expectedSequence)
            {
                return new(false, checkedCount, expectedSequence, $"Entry {expectedSequence} is missing: it was removed.");
            }

            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new(false, checkedCount, entry.Sequence, $"Entry {entry.Sequence} does not follow entry {entry.Sequence - 1}: one of them was replaced.");
            }

            if (!string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                return new(false, checkedCount, entry.Sequence, $"Entry {entry.Sequence} was edited: its contents no longer match its hash.");
            }

            previousHash = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }

        return new(true, checkedCount, null, null);
    }

    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Fields separated by the ASCII unit separator, which no field contains in practice; absent values are
        // written as the record separator so that null and "" hash differently.
        const char Unit = '\u001f';
        const string Absent = "\u001e";
        var text = string.Join(Unit,
            entry.PreviousHash,
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.OccurredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            entry.Kind,
            entry.ActorId?.ToString("D") ?? Absent,
            entry.Actor ?? Absent,
            entry.SupplierId?.ToString("D") ?? Absent,
            entry.Subject ?? Absent,
            entry.Details ?? Absent);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

/// <summary>The kinds of entry the Portal writes.</summary>
public static class AuditKinds
{
    public const string SignedIn = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string LockedOut = "sign-in.locked-out";
    public const string SignedOut = "sign-out";
    public const string MfaEnabled = "mfa.enabled";
    public const string MfaDisabled = "mfa.disabled";
    public const string RecoveryCodesRenewed = "mfa.recovery-codes-renewed";
    public const string PasswordReset = "password.reset";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationRefused = "invitation.refused";
    public const string UserCreated = "user.created";
    public const string RoleGranted = "role.granted";
}
