using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Starts the assessment-review workflow for a submitted assessment, with the assessment id as the instance's
/// reference. Asking twice for the same assessment returns the instance already there instead of a second one.
/// </summary>
internal sealed class WorkflowReviewStarter(
    IWorkflowController controller,
    EfCorePersistenceProvider store,
    WorkflowDefinitions definitions,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock) : IAssessmentReviewStarter, IDisposable
{
    // Serialises check-then-start within this process. Across processes two starters can still race and create two
    // instances; that costs a second, idle scoring run (the step is idempotent), not a second status change.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string> StartAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        var reference = assessmentId.ToString("D");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await store.FindActiveByReferenceAsync(AssessmentReviewWorkflow.DefinitionId, reference, cancellationToken);
            if (existing is not null)
            {
                // A submission while an instance runs is a resubmission after a return for clarification (version 4
                // waits for this event). Any other instance is not subscribed to it, so the event changes nothing.
                await controller.PublishEvent(ReviewEvents.Resubmitted, ReviewEvents.Key(assessmentId), assessmentId, clock.GetUtcNow().UtcDateTime);
                return existing;
            }

            // The instance keeps the workflow policy version in force now; later edits apply to later instances.
            int policyVersion;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
            }

            return await controller.StartWorkflow(
                AssessmentReviewWorkflow.DefinitionId,
                AssessmentReviewWorkflowV4.DefinitionVersion,
                new AssessmentReviewData { AssessmentId = assessmentId, StartedAt = clock.GetUtcNow().UtcDateTime, WorkflowPolicyVersion = policyVersion },
                reference);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
