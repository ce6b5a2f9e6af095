using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Partners;

/// <summary>What an idempotency key says about a write that is about to happen.</summary>
public enum KeyUse
{
    /// <summary>Never used: do the write.</summary>
    New,
    /// <summary>Used for this very request: answer with <see cref="KeyLookup.ResourceId"/>, change nothing.</summary>
    Replay,
    /// <summary>Used for a different request: refuse.</summary>
    Mismatch,
}

public readonly record struct KeyLookup(KeyUse Use, Guid ResourceId);

/// <summary>Reading and recording idempotency keys, shared by every partner write.</summary>
public static class IdempotencyKeys
{
    public const string MismatchMessage = "This idempotency key was already used for a different request; use a new key for a new write.";

    public static async Task<KeyLookup> LookupAsync(SupplierAssureDbContext db, string clientId, string key, string operation, string requestHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.ClientId == clientId && k.Key == key, cancellationToken);
        if (existing is null)
        {
            return new KeyLookup(KeyUse.New, Guid.Empty);
        }

        return existing.Operation == operation && existing.RequestHash == requestHash
            ? new KeyLookup(KeyUse.Replay, existing.ResourceId)
            : new KeyLookup(KeyUse.Mismatch, Guid.Empty);
    }

    /// <summary>Adds the key to the unit of work, to be saved in the same transaction as the write it guards.</summary>
    public static void Remember(SupplierAssureDbContext db, string clientId, string key, string operation, string requestHash, Guid resourceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.IdempotencyKeys.Add(new IdempotencyKey
        {
            ClientId = clientId,
            Key = key,
            Operation = operation,
            RequestHash = requestHash,
            ResourceId = resourceId,
            CreatedAt = now,
        });
    }

    /// <summary>
    /// Saves the write with its key. When a concurrent retry saved the same key first, the primary key refuses the
    /// second insert; the tracked changes are dropped and the first call's result is looked up instead.
    /// </summary>
    public static async Task<KeyLookup> SaveAsync(SupplierAssureDbContext db, string clientId, string key, string operation, string requestHash, Guid resourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new KeyLookup(KeyUse.New, resourceId);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await KeyExistsAsync(db, clientId, key, cancellationToken))
            {
                throw; // not a lost race on the key: a real failure
            }

            return await LookupAsync(db, clientId, key, operation, requestHash, cancellationToken);
        }
    }

    private static Task<bool> KeyExistsAsync(SupplierAssureDbContext db, string clientId, string key, CancellationToken cancellationToken) =>
        db.IdempotencyKeys.AsNoTracking().AnyAsync(k => k.ClientId == clientId && k.Key == key, cancellationToken);
}
