using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Reviews;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// The review of a submitted assessment through to a decision: score and route; on the audit route wait for the
/// audit's completion (which moves the assessment to Under review); when Under review wait for a reviewer's decision;
/// then record where the assessment ended. People's decisions change the assessment in their own transaction
/// (<see cref="DecideReviewHandler"/>, <see cref="CompleteAuditHandler"/>) and reach the instance as events keyed by
/// the assessment id.
/// </summary>
public sealed class AssessmentReviewWorkflowV2(TimeSpan stepRetryInterval) : IWorkflow<AssessmentReviewData>
{
    public const int DefinitionVersion = 2;

    public string Id => AssessmentReviewWorkflow.DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<AssessmentReviewData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWithScoreAndRoute(stepRetryInterval)
            // Conditions read the state the scoring left (not the route): a retry that finds the assessment already
            // scored, or already decided, waits only for what is still to come.
            .If(data => data.ResultingState == AssessmentState.Audit)
                .Do(audit => audit
                    .WaitFor(ReviewEvents.AuditCompleted, data => ReviewEvents.Key(data.AssessmentId), data => data.StartedAt)
                        .Name("wait-for-audit")
                        .Output((step, data) => data.AuditDecisionId = ReviewEvents.DecisionIdOf(step.EventData)))
            .If(data => data.ResultingState == AssessmentState.Audit || data.ResultingState == AssessmentState.UnderReview)
                .Do(review => review
                    .WaitFor(ReviewEvents.ReviewDecided, data => ReviewEvents.Key(data.AssessmentId), data => data.StartedAt)
                        .Name("wait-for-review-decision")
                        .Output((step, data) => data.DecisionId = ReviewEvents.DecisionIdOf(step.EventData)))
            .Then<RecordOutcomeStep>()
                .Name("record-outcome")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.FinalState, step => step.FinalState);
    }
}

/// <summary>The events people's decisions send to a waiting assessment-review instance.</summary>
public static class ReviewEvents
{
    public const string AuditCompleted = "assessment-audit-completed";
    public const string ReviewDecided = "assessment-review-decided";

    /// <summary>The supplier submitted again after a return for clarification (version 4; data: the assessment id).</summary>
    public const string Resubmitted = "assessment-resubmitted";

    public static string Key(Guid assessmentId) => assessmentId.ToString("D");

    public static string NameFor(ReviewOutcome outcome) =>
        outcome == ReviewOutcome.AuditCompleted ? AuditCompleted : ReviewDecided;

    /// <summary>The decision id the event carries; events are published with a Guid (an allow-listed stored kind).</summary>
    public static Guid? DecisionIdOf(object? eventData) => eventData switch
    {
        Guid id => id,
        null => null,
        _ => throw new InvalidOperationException($"A review event carried {eventData.GetType().Name}, not a decision id."),
    };
}
