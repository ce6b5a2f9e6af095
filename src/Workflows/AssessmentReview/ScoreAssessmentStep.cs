using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Scores and routes the submitted assessment through <see cref="ScoreSubmittedAssessmentHandler"/>. Idempotent:
/// when a retry finds the assessment already past Submitted (an earlier run committed but its completion was not
/// recorded), the handler changes nothing and this step only reads back where the assessment stands.
/// </summary>
public sealed partial class ScoreAssessmentStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    ILogger<ScoreAssessmentStep> logger) : StepBodyAsync
{
    // Conflicts beyond these few are not a passing race; they go to WorkflowCore's retry-with-delay.
    private const int ImmediateAttempts = 3;

    public Guid AssessmentId { get; set; }

    public AssessmentState? ResultingState { get; private set; }

    public decimal? OverallScore { get; private set; }

    public ReviewRoute? Route { get; private set; }

    public long? StatusSequence { get; private set; }

    public bool AlreadyScored { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ScoreAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException ex) when (attempt < ImmediateAttempts)
            {
                // The submitter may still be saving the assessment (it records the instance id right after
                // starting this workflow), which moves its version under us. Re-reading and trying again at once is
                // safe because the handler is idempotent, and spares a full StepRetryInterval for an ordinary race.
                LogConflictRetry(ex, AssessmentId, attempt);
            }
        }
    }

    private async Task<ExecutionResult> ScoreAsync(CancellationToken cancellationToken)
    {
        // A context of its own, straight from the factory: system scope (the workflow acts for the operator, not
        // for a signed-in supplier) and no state shared with other steps running on the same thread pool.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var outcome = await new ScoreSubmittedAssessmentHandler(db, clock).HandleAsync(AssessmentId, cancellationToken);
        if (outcome is not null)
        {
            ResultingState = outcome.State;
            OverallScore = outcome.OverallScore;
            Route = outcome.Route;
            StatusSequence = outcome.StatusSequence;
            LogScored(AssessmentId, outcome.OverallScore, outcome.Route, outcome.State);
            return ExecutionResult.Next();
        }

        var current = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == AssessmentId)
            .Select(a => new { a.State, a.OverallScore, a.ScoredAt })
            .SingleAsync(cancellationToken);
        ResultingState = current.State;
        OverallScore = current.OverallScore;
        // Not Submitted and never scored means the submission was withdrawn before the review ran: there is
        // nothing to score, and the data says so rather than claiming an earlier run did it.
        AlreadyScored = current.ScoredAt is not null;
        if (AlreadyScored)
        {
            LogAlreadyScored(AssessmentId, current.State);
        }
        else
        {
            LogNotSubmitted(AssessmentId, current.State);
        }

        return ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId} changed while it was being scored (attempt {Attempt}); scoring again.")]
    private partial void LogConflictRetry(Exception exception, Guid assessmentId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId} scored {Score}, routed to {Route}; now {State}.")]
    private partial void LogScored(Guid assessmentId, decimal score, ReviewRoute route, AssessmentState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId} was already scored (now {State}); nothing changed.")]
    private partial void LogAlreadyScored(Guid assessmentId, AssessmentState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId} is {State}, not Submitted, and was never scored; the review has nothing to do.")]
    private partial void LogNotSubmitted(Guid assessmentId, AssessmentState state);
}
