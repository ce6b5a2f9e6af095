using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Workflows.Hosting;

namespace SupplierAssure.Workflows.Remediation;

/// <summary>
/// Starts the remediation workflow of a case (reference = the case id) unless one is already running for it, and
/// records the instance id on the case. Also tells a case's instance when people moved the case on. Starts go through
/// <see cref="WorkflowStarts"/> (the database start lock), so the review's step, the audit's closing meeting and the
/// sweep, in one process or in several on one database, start one instance per case.
/// </summary>
public sealed class WorkflowRemediationStarter(
    WorkflowStarts starts,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    InstanceWaker waker,
    TimeProvider clock) : IRemediationSignals, IDisposable
{
    // One start at a time in this process (see WorkflowReviewStarter); the database lock keeps processes apart.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string> StartAsync(Guid remediationId, CancellationToken cancellationToken) =>
        (await StartOnceAsync(remediationId, cancellationToken)).InstanceId;

    /// <summary>The instance now standing for the case, and whether this call created it.</summary>
    public async Task<(string InstanceId, bool Started)> StartOnceAsync(Guid remediationId, CancellationToken cancellationToken)
    {
        // An instance an administrator terminated keeps its case (as the sweep leaves it): only a completed one, whose
        // case closed, lets a new one start.
        string instanceId;
        bool started;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            (instanceId, started) = await starts.StartOnceAsync(
                RemediationWorkflow.DefinitionId,
                RemediationWorkflow.DefinitionVersion,
                new RemediationData { RemediationId = remediationId, StartedAt = clock.GetUtcNow().UtcDateTime },
                remediationId.ToString("D"),
                StartRule.WhileNoneHeld,
                cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        // A targeted update that leaves the case's Version alone, so a supplier saving the case meanwhile is not refused.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<RemediationCase>()
            .Where(r => r.Id == remediationId && r.WorkflowInstanceId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.WorkflowInstanceId, instanceId), cancellationToken);
        return (instanceId, started);
    }

    public async Task CaseChangedAsync(RemediationCase remediation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remediation);
        if (remediation.WorkflowInstanceId is { } instanceId)
        {
            await waker.WakeAsync(instanceId, cancellationToken);
        }
    }

    public void Dispose() => _gate.Dispose();
}
