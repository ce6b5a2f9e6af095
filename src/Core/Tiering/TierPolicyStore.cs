using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Tiering;

/// <summary>Reads the tier policy in force and publishes new versions; published versions are never changed.</summary>
public sealed class TierPolicyStore(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>The newest published version, or the shipped default when none has been published.</summary>
    public async Task<TierPolicy> CurrentAsync(CancellationToken cancellationToken)
    {
        var latest = await db.TierPolicyVersions.AsNoTracking()
            .OrderByDescending(v => v.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null ? TierPolicy.Default : TierPolicy.Parse(latest.Json, latest.Version);
    }

    /// <summary>Checks <paramref name="json"/> and stores it as the next version; returns the problems when it is invalid.</summary>
    public async Task<Outcome<TierPolicy>> PublishAsync(string json, Guid? publishedBy, CancellationToken cancellationToken)
    {
        var next = (await db.TierPolicyVersions.MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1;
        TierPolicy policy;
        try
        {
            policy = TierPolicy.Parse(json, next);
        }
        catch (TierPolicyInvalidException ex)
        {
            return Outcome<TierPolicy>.From(Outcome.Invalid(new Dictionary<string, string[]> { ["Json"] = [.. ex.Problems] }));
        }

        // Store the normalised form, so what is shown later is exactly what is applied.
        db.TierPolicyVersions.Add(new TierPolicyVersion { Id = Guid.NewGuid(), Version = next, Json = policy.ToJson(), PublishedAt = clock.GetUtcNow(), PublishedBy = publishedBy });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on Version is what lost the race; any other failure is not ours to hide.
            db.ChangeTracker.Clear();
            if (!await db.TierPolicyVersions.AnyAsync(v => v.Version == next, cancellationToken))
            {
                throw;
            }

            return Outcome<TierPolicy>.From(Outcome.Conflict("Someone published a tier policy at the same time; reload and try again."));
        }

        return Outcome<TierPolicy>.Ok(policy);
    }
}
