using Microsoft.Extensions.Logging;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Makes a sleeping instance due now: a step waiting on a timer, or a failed step waiting for its retry, runs at the
/// engine's next poll. Used when people change what a waiting step reads (it re-reads at once instead of at its
/// next timer) and by the administrator's "retry now". Works under the instance's database lock, so it never writes
/// over a step the engine is running.
/// </summary>
public sealed partial class InstanceWaker(
    IDistributedLockProvider locks,
    EfCorePersistenceProvider store,
    IDateTimeProvider clock,
    ILogger<InstanceWaker> logger)
{
    private const int Attempts = 20;

    /// <summary>True when the instance was made due now; false when it is not runnable, or stayed busy.</summary>
    public async Task<bool> WakeAsync(string instanceId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (!await locks.AcquireLock(instanceId, cancellationToken))
            {
                // The engine is running a step of it; that step reads the latest data anyway. Try again shortly in
                // case it is about to go back to sleep.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                continue;
            }

            try
            {
                var instance = await store.GetWorkflowInstance(instanceId, cancellationToken);
                if (instance.Status != WorkflowStatus.Runnable)
                {
                    return false;
                }

                var now = clock.UtcNow;
                // WorkflowCore runs a sleeping pointer only once SleepUntil is strictly before its clock's now; "now"
                // itself would wait for the clock to tick on (forever under a frozen test clock), so a moment earlier.
                var due = now.AddMilliseconds(-1);
                foreach (var pointer in instance.ExecutionPointers.Where(p => p.Active && p.SleepUntil > due))
                {
                    pointer.SleepUntil = due;
                }

                instance.NextExecution = due.Ticks;
                await store.PersistWorkflow(instance, cancellationToken);
                LogWoken(instanceId);
                return true;
            }
            finally
            {
                await locks.ReleaseLock(instanceId);
            }
        }

        LogBusy(instanceId);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow instance {InstanceId} made due now.")]
    private partial void LogWoken(string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow instance {InstanceId} stayed busy; it wakes at its own timer.")]
    private partial void LogBusy(string instanceId);
}
