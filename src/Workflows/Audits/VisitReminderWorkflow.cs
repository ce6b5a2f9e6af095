using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Audits;

public sealed class VisitReminderData
{
    public Guid AuditId { get; set; }

    /// <summary>The start of the confirmed visit this instance watches (UTC); a moved visit gets an instance of its own.</summary>
    public DateTime VisitStart { get; set; }

    /// <summary>The workflow policy version the instance started with; its reminder offsets follow it.</summary>
    public int PolicyVersion { get; set; }

    public DateTime StartedAt { get; set; }
}

/// <summary>
/// Watches one confirmed audit visit until it starts (or is cancelled or moved): sends the reminders of
/// <see cref="VisitReminders"/> at the policy's offsets and sleeps in between. Started when the visit is confirmed and,
/// as the backstop, by the <see cref="DeadlineSweeper"/>; once per audit and visit start (the reference).
/// </summary>
public sealed class VisitReminderWorkflow(TimeSpan stepRetryInterval) : IWorkflow<VisitReminderData>
{
    public const string DefinitionId = "audit-visit-reminders";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<VisitReminderData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WatchVisitStep>()
                .Name("visit-ahead")
                .Input(step => step.AuditId, data => data.AuditId)
                .Input(step => step.VisitStart, data => data.VisitStart)
                .Input(step => step.PolicyVersion, data => data.PolicyVersion);
    }
}

/// <summary>Sends the reminder that is due, then sleeps until the next one or the visit's start.</summary>
public sealed partial class WatchVisitStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WatchVisitStep> logger) : StepBodyAsync
{
    public Guid AuditId { get; set; }

    public DateTime VisitStart { get; set; }

    public int PolicyVersion { get; set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var start = new DateTimeOffset(DateTime.SpecifyKind(VisitStart, DateTimeKind.Utc));
        var check = await new VisitReminders(db, clock).CheckAsync(AuditId, start, PolicyVersion, context.Workflow.Id, context.CancellationToken);
        if (check.Notified.Count > 0)
        {
            LogNotified(AuditId, check.Notified.Count, check.Notified[0]);
        }

        return check.Open
            ? ExecutionResult.Sleep(DeadlineSleep.Until(check.NextMoment, clock, options.Value.DeadlineCheckInterval), null)
            : ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {AuditId}: sent {Count} visit reminder(s), {FirstKey}.")]
    private partial void LogNotified(Guid auditId, int count, string firstKey);
}

/// <summary>
/// Starts the reminder watch of a confirmed visit through <see cref="WorkflowStarts"/> (the start lock), once per audit
/// and visit start: at the confirmation, and from the sweep for every confirmed visit still ahead without one.
/// </summary>
public sealed partial class VisitReminderStarter(
    WorkflowStarts starts,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    ILogger<VisitReminderStarter> logger)
{
    public async Task<(string InstanceId, bool Started)> StartAsync(Guid auditId, DateTimeOffset visitStart, CancellationToken cancellationToken)
    {
        int policyVersion;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        }

        var result = await starts.StartOnceAsync(
            VisitReminderWorkflow.DefinitionId,
            VisitReminderWorkflow.DefinitionVersion,
            new VisitReminderData { AuditId = auditId, VisitStart = visitStart.UtcDateTime, PolicyVersion = policyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
            VisitReminders.Reference(auditId, visitStart),
            StartRule.OncePerReference,
            cancellationToken);
        if (result.Started)
        {
            LogStarted(auditId, visitStart, result.InstanceId);
        }

        return result;
    }

    /// <summary>Starts the watches missing for confirmed visits still ahead; how many it started.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, DateTimeOffset Start)> visits;
        HashSet<string> held;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            visits = (await db.Set<SupplierAudit>().AsNoTracking()
                    .Where(a => a.State == AuditState.Scheduled && a.VisitStart != null)
                    .Select(a => new { a.Id, a.VisitStart })
                    .ToListAsync(cancellationToken))
                .Where(a => a.VisitStart > now)
                .Select(a => (a.Id, a.VisitStart!.Value))
                .ToList();
            if (visits.Count == 0)
            {
                return 0;
            }

            // A first look that saves lock round trips; the start checks again under the start lock.
            held = (await db.Set<Core.WorkflowStore.PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == VisitReminderWorkflow.DefinitionId && w.Reference != null)
                .Select(w => w.Reference!)
                .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        }

        var started = 0;
        foreach (var (id, start) in visits.Where(v => !held.Contains(VisitReminders.Reference(v.Id, v.Start))))
        {
            if ((await StartAsync(id, start, cancellationToken)).Started)
            {
                started++;
            }
        }

        return started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started the visit reminders of audit {AuditId} (visit {VisitStart}) as {InstanceId}.")]
    private partial void LogStarted(Guid auditId, DateTimeOffset visitStart, string instanceId);
}
