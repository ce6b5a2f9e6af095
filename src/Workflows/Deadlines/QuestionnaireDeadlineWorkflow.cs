using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Deadlines;

public sealed class QuestionnaireDeadlineData
{
    public Guid AssessmentId { get; set; }

    /// <summary>The workflow policy version the instance started with; its reminders and escalation follow it.</summary>
    public int PolicyVersion { get; set; }

    public DateTime StartedAt { get; set; }
}

/// <summary>
/// Watches an issued questionnaire until the supplier submits it: reminders before its due date, escalation to
/// procurement when it is overdue. Started for every open questionnaire by <see cref="Hosting.DeadlineSweeper"/>.
/// </summary>
public sealed class QuestionnaireDeadlineWorkflow(TimeSpan stepRetryInterval) : IWorkflow<QuestionnaireDeadlineData>
{
    public const string DefinitionId = "questionnaire-deadline";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<QuestionnaireDeadlineData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WatchQuestionnaireStep>()
                .Name("answers-due")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Input(step => step.PolicyVersion, data => data.PolicyVersion);
    }
}

/// <summary>Sends the due reminder or escalation and sleeps until the next, until the questionnaire is submitted.</summary>
public sealed partial class WatchQuestionnaireStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WatchQuestionnaireStep> logger) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public int PolicyVersion { get; set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var check = await new QuestionnaireDeadlines(db, clock).CheckAsync(AssessmentId, PolicyVersion, context.Workflow.Id, context.CancellationToken);
        if (check.Notified is not null)
        {
            LogNotified(AssessmentId, check.Notified);
        }

        return check.Open
            ? ExecutionResult.Sleep(DeadlineSleep.Until(check.NextMoment, clock, options.Value.DeadlineCheckInterval), null)
            : ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Questionnaire {AssessmentId}: sent {NotificationKey}.")]
    private partial void LogNotified(Guid assessmentId, string notificationKey);
}
