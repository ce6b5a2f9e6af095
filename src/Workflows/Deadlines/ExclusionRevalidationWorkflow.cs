using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Deadlines;

public sealed class ExclusionRevalidationData
{
    public Guid SupplierId { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>The workflow policy version in force when the watch started (its escalation delay); 0, the shipped default, for watches started before it was recorded.</summary>
    public int WorkflowPolicyVersion { get; set; }
}

/// <summary>
/// One instance per Excluded supplier (reference = the supplier id): asks procurement to confirm the exclusion on the
/// tier policy's re-validation interval and escalates to procurement when nobody confirms it (<see cref="ExclusionRevalidation"/>), and ends when the supplier is no longer
/// Excluded. Started by <see cref="Hosting.DeadlineSweeper"/>.
/// </summary>
public sealed class ExclusionRevalidationWorkflow(TimeSpan stepRetryInterval) : IWorkflow<ExclusionRevalidationData>
{
    public const string DefinitionId = "exclusion-revalidation";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<ExclusionRevalidationData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WatchExclusionStep>()
                .Name("revalidation-due")
                .Input(step => step.SupplierId, data => data.SupplierId)
                .Input(step => step.StartedAt, data => data.StartedAt)
                .Input(step => step.WorkflowPolicyVersion, data => data.WorkflowPolicyVersion);
    }
}

public sealed partial class WatchExclusionStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WatchExclusionStep> logger) : StepBodyAsync
{
    public Guid SupplierId { get; set; }

    public DateTime StartedAt { get; set; }

    public int WorkflowPolicyVersion { get; set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var started = new DateTimeOffset(DateTime.SpecifyKind(StartedAt, DateTimeKind.Utc));
        var check = await new ExclusionRevalidation(db, clock).CheckAsync(SupplierId, started, WorkflowPolicyVersion, context.Workflow.Id, context.CancellationToken);
        if (check.Notified is not null)
        {
            LogNotified(SupplierId, check.Notified);
        }

        return check.Open
            ? ExecutionResult.Sleep(DeadlineSleep.Until(check.NextMoment, clock, options.Value.DeadlineCheckInterval), null)
            : ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Excluded supplier {SupplierId}: sent {NotificationKey}.")]
    private partial void LogNotified(Guid supplierId, string notificationKey);
}
