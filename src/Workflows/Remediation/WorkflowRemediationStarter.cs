using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Remediation;

/// <summary>
/// Starts the remediation workflow of a case (reference = the case id) unless one is already running for it, and
/// records the instance id on the case. Also tells a case's instance when people moved the case on.
/// </summary>
public sealed class WorkflowRemediationStarter(
    IWorkflowController controller,
    EfCorePersistenceProvider store,
    WorkflowDefinitions definitions,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    InstanceWaker waker,
    TimeProvider clock) : IRemediationSignals, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string> StartAsync(Guid remediationId, CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        var reference = remediationId.ToString("D");
        string instanceId;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            instanceId = await store.FindActiveByReferenceAsync(RemediationWorkflow.DefinitionId, reference, cancellationToken)
                ?? await controller.StartWorkflow(
                    RemediationWorkflow.DefinitionId,
                    RemediationWorkflow.DefinitionVersion,
                    new RemediationData { RemediationId = remediationId, StartedAt = clock.GetUtcNow().UtcDateTime },
                    reference);
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
        return instanceId;
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
