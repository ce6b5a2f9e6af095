using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>Which earlier instances of a definition for the same reference mean "already started".</summary>
public enum StartRule
{
    /// <summary>Any instance, finished ones included: the workflow runs once per reference, ever.</summary>
    OncePerReference,

    /// <summary>An instance that is not complete (running, suspended, or terminated on purpose).</summary>
    WhileNoneHeld,

    /// <summary>
    /// An instance that is running or suspended: a complete or terminated one does not count, so the next start makes
    /// a new instance (an assessment's review: a submission after a review ended needs a review of its own).
    /// </summary>
    WhileOneRuns,
}

/// <summary>
/// Starts a workflow for a reference unless one already counts as started, under a database lock named after the
/// definition and reference. Every path that starts these workflows (the event at the moment it happens, and the
/// <see cref="DeadlineSweeper"/> as the backstop) goes through here, so when both race, in one process or in two on
/// one database, exactly one instance is created.
/// </summary>
public sealed class WorkflowStarts(
    IWorkflowController controller,
    DatabaseLockProvider locks,
    WorkflowDefinitions definitions,
    IDbContextFactory<SupplierAssureDbContext> contexts)
{
    // 200 x 50 ms: the holder only reads and inserts one row, but on a loaded machine (load 50 on 2 cores) 2.5 s was
    // seen to run out in StartAtTheEventTests; the sweep would still have started it, but the caller logged an error.
    private const int Attempts = 200;

    /// <summary>The instance now standing for <paramref name="reference"/>, and whether this call created it.</summary>
    public async Task<(string InstanceId, bool Started)> StartOnceAsync<TData>(
        string definitionId, int version, TData data, string reference, StartRule rule, CancellationToken cancellationToken)
        where TData : class, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(definitionId);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        definitions.EnsureRegistered();
        var lockName = $"start:{definitionId}:{reference}";
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (!await locks.AcquireLock(lockName, cancellationToken))
            {
                // Someone else (the sweep, another request, another process) is starting this one right now; once
                // they are done the existing instance is found below.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                continue;
            }

            try
            {
                if (await ExistingAsync(definitionId, reference, rule, cancellationToken) is { } existing)
                {
                    return (existing, false);
                }

                // StartWorkflow persists the instance before it returns, so the next caller under this lock finds it.
                return (await controller.StartWorkflow(definitionId, version, data, reference), true);
            }
            finally
            {
                await locks.ReleaseLock(lockName);
            }
        }

        throw new TimeoutException($"The start lock {lockName} stayed taken; the sweep starts {definitionId} for {reference} later.");
    }

    private async Task<string?> ExistingAsync(string definitionId, string reference, StartRule rule, CancellationToken cancellationToken)
    {
        const int complete = (int)WorkflowStatus.Complete;
        const int terminated = (int)WorkflowStatus.Terminated;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definitionId && w.Reference == reference)
            .Where(w => rule == StartRule.OncePerReference || w.Status != complete)
            .Where(w => rule != StartRule.WhileOneRuns || w.Status != terminated)
            .OrderBy(w => w.CreateTime)
            .Select(w => (Guid?)w.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return id?.ToString("D");
    }
}
