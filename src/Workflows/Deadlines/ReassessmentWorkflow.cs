using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Deadlines;

public sealed class ReassessmentData
{
    /// <summary>The approved assessment whose successor this instance issues.</summary>
    public Guid AssessmentId { get; set; }

    public int PolicyVersion { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? DueAt { get; set; }

    public Guid? ReassessmentId { get; set; }
}

/// <summary>
/// Reassessment on the tier's cadence: started when an assessment is approved (plain or conditional), it waits until
/// the tier's cadence has passed and issues the next questionnaire (<see cref="ReassessmentStep"/>).
/// </summary>
public sealed class ReassessmentWorkflow(TimeSpan stepRetryInterval) : IWorkflow<ReassessmentData>
{
    public const string DefinitionId = "reassessment";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<ReassessmentData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<ReassessmentStep>()
                .Name("reassessment-due")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Input(step => step.PolicyVersion, data => data.PolicyVersion)
                .Output(data => data.DueAt, step => step.DueAt)
                .Output(data => data.ReassessmentId, step => step.ReassessmentId);
    }
}

/// <summary>Starts the reassessment workflow for an approved assessment, once (an instance already there is returned).</summary>
public sealed class StartReassessmentStep(
    IWorkflowController controller,
    EfCorePersistenceProvider store,
    WorkflowDefinitions definitions,
    TimeProvider clock) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public int PolicyVersion { get; set; }

    public string? InstanceId { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        definitions.EnsureRegistered();
        var reference = AssessmentId.ToString("D");
        // A retry after a crash between starting and completing this step finds the instance it started.
        InstanceId = await store.FindActiveByReferenceAsync(ReassessmentWorkflow.DefinitionId, reference, context.CancellationToken)
            ?? await controller.StartWorkflow(
                ReassessmentWorkflow.DefinitionId,
                ReassessmentWorkflow.DefinitionVersion,
                new ReassessmentData { AssessmentId = AssessmentId, PolicyVersion = PolicyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
                reference);
        return ExecutionResult.Next();
    }
}
