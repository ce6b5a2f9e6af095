using SupplierAssure.Core.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Remediation;

/// <summary>What the remediation workflow carries; stored as JSON with the instance.</summary>
public sealed class RemediationData
{
    public Guid RemediationId { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>Where the case stood when the instance finished.</summary>
    public RemediationState? FinalState { get; set; }
}

/// <summary>
/// One corrective action through its deadlines: action plan due → implementation due → verification → closed. The
/// supplier and the verifier move the case (<see cref="SubmitActionPlanHandler"/>, <see cref="RecordImplementationHandler"/>,
/// <see cref="VerifyRemediationHandler"/>); each step of this workflow holds the timers of its stage, reminding before
/// the due date and escalating when it has passed, and moves on when the case has. A verification that finds the action
/// not effective sends the case back to implementation while the instance stays in its last stage, which then watches
/// the rework deadline.
/// </summary>
public sealed class RemediationWorkflow(TimeSpan stepRetryInterval) : IWorkflow<RemediationData>
{
    public const string DefinitionId = "remediation";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<RemediationData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WatchRemediationStep>()
                .Name("action-plan-due")
                .Input(step => step.RemediationId, data => data.RemediationId)
                .Input(step => step.WatchWhile, _ => RemediationState.ActionPlanDue)
            .Then<WatchRemediationStep>()
                .Name("implementation-due")
                .Input(step => step.RemediationId, data => data.RemediationId)
                .Input(step => step.WatchWhile, _ => RemediationState.ImplementationDue)
            .Then<WatchRemediationStep>()
                .Name("verification")
                .Input(step => step.RemediationId, data => data.RemediationId)
                .Input(step => step.WatchWhile, _ => RemediationState.VerificationDue)
                .Output(data => data.FinalState, step => step.State);
    }
}
