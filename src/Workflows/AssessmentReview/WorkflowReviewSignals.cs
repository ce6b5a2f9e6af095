using SupplierAssure.Core.Reviews;
using SupplierAssure.Workflows.Hosting;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Publishes a recorded decision as a WorkflowCore event. The event is stored in the database, so it reaches the
/// waiting instance even when the engine runs in another process, or starts later.
/// </summary>
internal sealed class WorkflowReviewSignals(IWorkflowController controller, WorkflowDefinitions definitions) : IReviewSignals
{
    public async Task DecisionRecordedAsync(ReviewDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        definitions.EnsureRegistered();
        // Stamped with the decision's own time, not the time of publishing: a decision is made after the instance it
        // answers has started (the assessment only reaches review through that instance's scoring), so it matches
        // that instance; and a stale decision re-signalled after a crash stays older than any later resubmission's
        // instance, which must not take it for its own.
        await controller.PublishEvent(
            ReviewEvents.NameFor(decision.Outcome),
            ReviewEvents.Key(decision.AssessmentId),
            decision.Id,
            decision.DecidedAt.UtcDateTime);
    }
}
