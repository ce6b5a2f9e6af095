using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Registers the workflow definitions and, when <see cref="WorkflowEngineOptions.Enabled"/>, runs the WorkflowCore
/// engine for the life of the host. On start it also picks up submissions whose workflow never started.
/// </summary>
internal sealed partial class WorkflowEngineHostedService(
    WorkflowDefinitions definitions,
    IWorkflowHost engine,
    IAssessmentReviewStarter reviews,
    IReviewSignals signals,
    DeadlineSweeper sweeper,
    TimeProvider clock,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowEngineHostedService> logger) : IHostedService
{
    // Start and stop can overlap: under WebApplicationFactory both the factory and the app's own RunAsync stop the
    // host, concurrently, and the container may be disposed right after the first stop. WorkflowCore's host is not
    // safe to stop twice, so stopping is serialised and happens once.
    private readonly SemaphoreSlim _transition = new(1, 1);
    private bool _engineStarted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        if (!options.Value.Enabled)
        {
            LogEngineDisabled();
            return;
        }

        await _transition.WaitAsync(cancellationToken);
        try
        {
            await engine.StartAsync(cancellationToken);
            _engineStarted = true;
        }
        finally
        {
            _transition.Release();
        }

        LogEngineStarted(options.Value.PollInterval);
        await RestartOrphanedReviewsAsync(cancellationToken);
        await SignalUnsignalledDecisionsAsync(cancellationToken);
        await sweeper.SweepAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _transition.WaitAsync(CancellationToken.None);
        try
        {
            if (_engineStarted)
            {
                _engineStarted = false;
                await engine.StopAsync(cancellationToken);
            }
        }
        finally
        {
            _transition.Release();
        }
    }

    /// <summary>
    /// A submission is saved before its review workflow starts (see SubmitAssessmentHandler), so a crash in between
    /// leaves an assessment in Submitted with no instance id. Such assessments get their review started here.
    /// Runs where the engine runs, so that exactly the processes that execute workflows also recover them.
    /// </summary>
    internal async Task RestartOrphanedReviewsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var orphans = await db.Assessments.AsNoTracking()
            .Where(a => a.State == AssessmentState.Submitted && a.WorkflowInstanceId == null)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        foreach (var assessmentId in orphans)
        {
            var instanceId = await reviews.StartAsync(assessmentId, cancellationToken);
            // A targeted update, without bumping the assessment's Version: the workflow may already be scoring this
            // assessment, and a version change here would only force its save to fail and wait for a retry.
            await db.Assessments
                .Where(a => a.Id == assessmentId && a.WorkflowInstanceId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.WorkflowInstanceId, instanceId), cancellationToken);
            LogOrphanRestarted(assessmentId, instanceId);
        }
    }

    /// <summary>
    /// A review decision is committed before its workflow is signalled (see ReviewTransaction), so a crash in between
    /// leaves a decision with no SignalledAt and an instance still waiting. Such decisions are signalled here.
    /// </summary>
    internal async Task SignalUnsignalledDecisionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Set<ReviewDecision>().AsNoTracking()
            .Where(d => d.SignalledAt == null)
            .OrderBy(d => d.DecidedAt)
            .ToListAsync(cancellationToken);
        foreach (var decision in pending)
        {
            await signals.DecisionRecordedAsync(decision, cancellationToken);
            var at = clock.GetUtcNow();
            await db.Set<ReviewDecision>()
                .Where(d => d.Id == decision.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.SignalledAt, at), cancellationToken);
            LogDecisionSignalled(decision.Id, decision.AssessmentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Review decision {DecisionId} on assessment {AssessmentId} had not reached its workflow; signalled it now.")]
    private partial void LogDecisionSignalled(Guid decisionId, Guid assessmentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow engine started in this process (poll interval {PollInterval}).")]
    private partial void LogEngineStarted(TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow engine is disabled in this process (Workflows:Enabled = false); started workflows wait for a worker.")]
    private partial void LogEngineDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId} was submitted but had no review workflow; started {InstanceId}.")]
    private partial void LogOrphanRestarted(Guid assessmentId, string instanceId);
}
