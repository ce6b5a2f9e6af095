using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Policies;

/// <summary>Reads the workflow policy in force (or a given version) and publishes new versions.</summary>
public sealed class WorkflowPolicyStore(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>The newest published version, or the shipped default (version 0) when none has been published.</summary>
    public async Task<WorkflowPolicy> CurrentAsync(CancellationToken cancellationToken)
    {
        var latest = await db.Set<WorkflowPolicyVersion>().AsNoTracking()
            .OrderByDescending(v => v.Version)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null ? WorkflowPolicy.Default : WorkflowPolicy.Parse(latest.Json, latest.Version);
    }

    /// <summary>
    /// The version a running instance started with. Versions are never deleted, so a missing one means the database
    /// was tampered with; that fails loudly rather than silently applying other deadlines.
    /// </summary>
    public async Task<WorkflowPolicy> GetAsync(int version, CancellationToken cancellationToken)
    {
        if (version == 0)
        {
            return WorkflowPolicy.Default;
        }

        var stored = await db.Set<WorkflowPolicyVersion>().AsNoTracking()
            .SingleOrDefaultAsync(v => v.Version == version, cancellationToken)
            ?? throw new InvalidOperationException($"Workflow policy version {version} does not exist.");
        return WorkflowPolicy.Parse(stored.Json, stored.Version);
    }

    public async Task<IReadOnlyList<WorkflowPolicyVersion>> HistoryAsync(CancellationToken cancellationToken) =>
        await db.Set<WorkflowPolicyVersion>().AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(cancellationToken);

    /// <summary>Checks the draft and stores it as the next version; returns the problems per field when it is invalid.</summary>
    public async Task<Outcome<WorkflowPolicy>> PublishAsync(WorkflowPolicy draft, Guid? publishedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = draft.Validate();
        if (errors.Count > 0)
        {
            return Outcome<WorkflowPolicy>.From(Outcome.Invalid(errors));
        }

        var next = (await db.Set<WorkflowPolicyVersion>().MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1;
        var json = draft.ToJson();
        db.Set<WorkflowPolicyVersion>().Add(new WorkflowPolicyVersion { Id = Guid.NewGuid(), Version = next, Json = json, PublishedAt = clock.GetUtcNow(), PublishedBy = publishedBy });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on Version is what lost the race; any other failure is not ours to hide.
            db.ChangeTracker.Clear();
            if (!await db.Set<WorkflowPolicyVersion>().AnyAsync(v => v.Version == next, cancellationToken))
            {
                throw;
            }

            return Outcome<WorkflowPolicy>.From(Outcome.Conflict("Someone published a workflow policy at the same time; reload and try again."));
        }

        return Outcome<WorkflowPolicy>.Ok(WorkflowPolicy.Parse(json, next));
    }
}
