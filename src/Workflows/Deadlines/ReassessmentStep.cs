using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Deadlines;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Deadlines;

/// <summary>
/// After an approval: computes the reassessment date from the tier's cadence (once, kept with the step), sleeps until
/// then, and issues the new questionnaire (<see cref="IssueReassessmentHandler"/>, idempotent).
/// </summary>
public sealed partial class ReassessmentStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    ILogger<ReassessmentStep> logger) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public int PolicyVersion { get; set; }

    public Guid? ReassessmentId { get; private set; }

    public DateTime? DueAt { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var handler = new IssueReassessmentHandler(db, clock);
        // The date is stored as the step's persistence data (UTC ticks, an allow-listed kind), so a restart keeps it.
        DateTimeOffset dueAt;
        if (context.PersistenceData is long ticks)
        {
            dueAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        }
        else
        {
            var schedule = await handler.ScheduleAsync(AssessmentId, context.CancellationToken);
            dueAt = schedule.DueAt;
            LogScheduled(AssessmentId, schedule.DueAt, schedule.CadenceMonths, schedule.TierPolicyVersion);
        }

        DueAt = dueAt.UtcDateTime;
        var now = clock.GetUtcNow();
        if (now < dueAt)
        {
            return ExecutionResult.Sleep(dueAt - now, dueAt.UtcTicks);
        }

        ReassessmentId = await handler.IssueAsync(AssessmentId, PolicyVersion, context.Workflow.Id, context.CancellationToken);
        LogIssued(AssessmentId, ReassessmentId.Value);
        return ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId}: reassessment due {DueAt} ({Months} months, tier policy v{TierPolicyVersion}).")]
    private partial void LogScheduled(Guid assessmentId, DateTimeOffset dueAt, int months, int tierPolicyVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId}: reassessment {ReassessmentId} issued.")]
    private partial void LogIssued(Guid assessmentId, Guid reassessmentId);
}
