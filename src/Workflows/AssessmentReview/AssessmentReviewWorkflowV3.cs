using SupplierAssure.Core.Assessments;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Version 2 with findings and time: after scoring, the scoring's findings are copied into finding rows and every open
/// major or minor nonconformity gets a remediation workflow; after an audit, the audit's findings do too; after an
/// approval (plain or conditional), it starts the reassessment workflow, which waits for the tier's cadence and
/// issues the next questionnaire.
/// </summary>
public sealed class AssessmentReviewWorkflowV3(TimeSpan stepRetryInterval) : IWorkflow<AssessmentReviewData>
{
    public const int DefinitionVersion = 3;

    public string Id => AssessmentReviewWorkflow.DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<AssessmentReviewData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWithScoreAndRoute(stepRetryInterval)
            .Then<OpenRemediationStep>()
                .Name("open-remediation")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.RemediationsOpened, step => step.Opened)
            .If(data => data.ResultingState == AssessmentState.Audit)
                .Do(audit => audit
                    .WaitFor(ReviewEvents.AuditCompleted, data => ReviewEvents.Key(data.AssessmentId), data => data.StartedAt)
                        .Name("wait-for-audit")
                        .Output((step, data) => data.AuditDecisionId = ReviewEvents.DecisionIdOf(step.EventData))
                    .Then<OpenRemediationStep>()
                        .Name("open-audit-remediation")
                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                        .Output((step, data) => data.RemediationsOpened += step.Opened))
            .If(data => data.ResultingState == AssessmentState.Audit || data.ResultingState == AssessmentState.UnderReview)
                .Do(review => review
                    .WaitFor(ReviewEvents.ReviewDecided, data => ReviewEvents.Key(data.AssessmentId), data => data.StartedAt)
                        .Name("wait-for-review-decision")
                        .Output((step, data) => data.DecisionId = ReviewEvents.DecisionIdOf(step.EventData)))
            .Then<RecordOutcomeStep>()
                .Name("record-outcome")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.FinalState, step => step.FinalState)
            .If(data => data.FinalState == AssessmentState.Approved || data.FinalState == AssessmentState.ConditionallyApproved)
                .Do(approved => approved
                    .StartWith<StartReassessmentStep>()
                        .Name("schedule-reassessment")
                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                        .Input(step => step.PolicyVersion, data => data.WorkflowPolicyVersion)
                        .Output(data => data.ReassessmentInstanceId, step => step.InstanceId));
    }
}
