using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Remediation;

/// <summary>
/// Holds a stage's timers: sends the reminder or escalation that is due (<see cref="RemediationDeadlines"/>), then
/// sleeps until the next one (or <see cref="WorkflowEngineOptions.DeadlineCheckInterval"/> at most), and moves on once
/// the case has left every state up to <see cref="WatchWhile"/>. The sleep is stored with the instance, so a restart
/// resumes the same timer; re-running a check after a crash sends nothing twice (unique notification keys).
/// </summary>
public sealed partial class WatchRemediationStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WatchRemediationStep> logger) : StepBodyAsync
{
    public Guid RemediationId { get; set; }

    /// <summary>The step keeps watching while the case is in this state or an earlier one.</summary>
    public RemediationState WatchWhile { get; set; }

    public RemediationState State { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var check = await new RemediationDeadlines(db, clock).CheckAsync(RemediationId, context.Workflow.Id, context.CancellationToken);
        State = check.State;
        if (check.Notified is not null)
        {
            LogNotified(RemediationId, check.Notified);
        }

        if (check.State > WatchWhile)
        {
            return ExecutionResult.Next();
        }

        return ExecutionResult.Sleep(DeadlineSleep.Until(check.NextMoment, clock, options.Value.DeadlineCheckInterval), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Remediation {RemediationId}: sent {NotificationKey}.")]
    private partial void LogNotified(Guid remediationId, string notificationKey);
}

/// <summary>How long a deadline-watching step sleeps: until its next moment, never longer than the check interval.</summary>
internal static class DeadlineSleep
{
    public static TimeSpan Until(DateTimeOffset? nextMoment, TimeProvider clock, TimeSpan checkInterval)
    {
        var now = clock.GetUtcNow();
        var wait = nextMoment is { } next ? next - now : checkInterval;
        if (wait > checkInterval)
        {
            wait = checkInterval;
        }

        // A moment that is due as this runs is handled on the next pass, a breath later.
        return wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait;
    }
}
