using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;
using SupplierAssure.Workflows.Hosting;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Starts the assessment-review workflow for a submitted assessment, with the assessment id as the instance's
/// reference. Asking twice for the same assessment returns the instance already there instead of a second one, also
/// when two processes on one database ask at the same moment (the start goes through <see cref="WorkflowStarts"/>,
/// under the database start lock of the assessment's review).
/// </summary>
internal sealed class WorkflowReviewStarter(
    IWorkflowController controller,
    WorkflowStarts starts,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock) : IAssessmentReviewStarter, IDisposable
{
    // Starts in this process go one at a time, as before the start lock: a burst of submissions (200 at once in
    // ReliabilityTests) as concurrent SQLite writers of lock rows starved the thread pool in SQLite's busy waits. The
    // database lock inside StartOnceAsync is what keeps two processes apart.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<string> StartAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await StartOnceAsync(assessmentId, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<string> StartOnceAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        // The instance keeps the workflow policy version in force now; later edits apply to later instances.
        int policyVersion;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        }

        // A running or suspended review counts as started; a finished or terminated one does not: a submission after a
        // review ended (returned for changes, or ended by an administrator) gets a review of its own.
        var (instanceId, started) = await starts.StartOnceAsync(
            AssessmentReviewWorkflow.DefinitionId,
            AssessmentReviewWorkflowV4.DefinitionVersion,
            new AssessmentReviewData { AssessmentId = assessmentId, StartedAt = clock.GetUtcNow().UtcDateTime, WorkflowPolicyVersion = policyVersion },
            assessmentId.ToString("D"),
            StartRule.WhileOneRuns,
            cancellationToken);
        if (!started)
        {
            // A submission while an instance runs is a resubmission after a return for clarification (version 4
            // waits for this event). Any other instance is not subscribed to it, so the event changes nothing. Should
            // this process die before publishing, the sweep publishes it (DeadlineSweeper).
            await controller.PublishEvent(ReviewEvents.Resubmitted, ReviewEvents.Key(assessmentId), assessmentId, clock.GetUtcNow().UtcDateTime);
        }

        return instanceId;
    }
}
