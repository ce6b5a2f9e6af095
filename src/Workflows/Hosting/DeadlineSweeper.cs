using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Starts the deadline workflows that should be running and are not: one per open questionnaire (Issued or In
/// progress) and one per remediation case that is not closed (and the other watches below); and recovers workflow
/// steps lost between a commit and its signal: reviews of submissions that never started, decisions and resubmissions
/// never published, onboarding milestones never published. Runs when the engine starts and every
/// <see cref="WorkflowEngineOptions.SweepInterval"/>, so a questionnaire issued anywhere (demo seed, reassessment,
/// another process) and a case whose start was lost in a crash get their timers. An instance an administrator
/// terminated is left terminated.
/// </summary>
public sealed partial class DeadlineSweeper(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    IWorkflowController controller,
    WorkflowDefinitions definitions,
    WorkflowRemediationStarter remediations,
    WorkflowStarts starts,
    IAssessmentReviewStarter reviews,
    IReviewSignals signals,
    TimeProvider clock,
    ILogger<DeadlineSweeper> logger,
    Audits.VisitReminderStarter visitReminders)
{
    /// <summary>
    /// How old a submission, decision or resubmission must be before the periodic sweep treats its missing workflow
    /// step as lost: a request that committed it a moment ago is still about to start or signal the workflow itself.
    /// </summary>
    public static readonly TimeSpan RecoveryGrace = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The periodic sweep: recovers what has been lost for longer than <see cref="RecoveryGrace"/>.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken) => SweepAsync(RecoveryGrace, cancellationToken);

    /// <summary>
    /// Starts what is missing and recovers submissions, decisions and resubmissions whose workflow step was lost and
    /// that are older than <paramref name="recoveryGrace"/> (zero at engine start: everything left over).
    /// </summary>
    public async Task<int> SweepAsync(TimeSpan recoveryGrace, CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var committedBefore = clock.GetUtcNow() - recoveryGrace;
            return await RestartOrphanedReviewsAsync(committedBefore, cancellationToken) + await SignalUnsignalledDecisionsAsync(committedBefore, cancellationToken)
                + await StartQuestionnaireWatchesAsync(cancellationToken) + await StartRemediationsAsync(cancellationToken)
                + await StartCredentialMonitorsAsync(cancellationToken) + await StartExclusionWatchesAsync(cancellationToken)
                + await StartOnboardingsAsync(cancellationToken) + await RepublishOnboardingMilestonesAsync(cancellationToken)
                + await RepublishResubmissionsAsync(committedBefore, cancellationToken) + await visitReminders.SweepAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A submission is saved before its review workflow starts (see SubmitAssessmentHandler), so a crash in between
    /// leaves an assessment in Submitted with no review. So does a resubmission after a plain return that arrives while
    /// the returned review is still finishing (an engine busy or down): the starter finds that review running, and it
    /// then ends without scoring the resubmission. An assessment Submitted with no review running for it, and whose
    /// latest review was not terminated by an administrator, gets its review started here (through the review starter,
    /// so under the start lock: a request or another process starting it at once makes no second), and the assessment
    /// then points at that review.
    /// </summary>
    private async Task<int> RestartOrphanedReviewsAsync(DateTimeOffset submittedBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var submitted = await db.Assessments.AsNoTracking()
            .Where(a => a.State == AssessmentState.Submitted && a.SubmittedAt <= submittedBefore)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        if (submitted.Count == 0)
        {
            return 0;
        }

        var references = submitted.ConvertAll(id => id.ToString("D"));
        var latestReview = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == AssessmentReview.AssessmentReviewWorkflow.DefinitionId && references.Contains(w.Reference!))
                .Select(w => new { w.Reference, w.Status, w.CreateTime })
                .ToListAsync(cancellationToken))
            .GroupBy(w => w.Reference!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(w => w.CreateTime)!.Status, StringComparer.Ordinal);
        var orphans = submitted.Where(id => !latestReview.TryGetValue(id.ToString("D"), out var latest) || latest == (int)WorkflowStatus.Complete).ToList();
        foreach (var assessmentId in orphans)
        {
            var instanceId = await reviews.StartAsync(assessmentId, cancellationToken);
            // A targeted update, without bumping the assessment's Version: the workflow may already be scoring this
            // assessment, and a version change here would only force its save to fail and wait for a retry.
            await db.Assessments
                .Where(a => a.Id == assessmentId && a.WorkflowInstanceId != instanceId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.WorkflowInstanceId, instanceId), cancellationToken);
            LogOrphanRestarted(assessmentId, instanceId);
        }

        return orphans.Count;
    }

    /// <summary>
    /// A review decision is committed before its workflow is signalled (see ReviewTransaction), so a crash in between
    /// leaves a decision with no SignalledAt and an instance still waiting. Such decisions are signalled here; a second
    /// signal is harmless (the first is consumed, the second finds no one waiting for a decision that old).
    /// </summary>
    private async Task<int> SignalUnsignalledDecisionsAsync(DateTimeOffset decidedBefore, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Set<ReviewDecision>().AsNoTracking()
            .Where(d => d.SignalledAt == null && d.DecidedAt <= decidedBefore)
            .OrderBy(d => d.DecidedAt)
            .ToListAsync(cancellationToken);
        foreach (var decision in pending)
        {
            await signals.DecisionRecordedAsync(decision, cancellationToken);
            var at = clock.GetUtcNow();
            await db.Set<ReviewDecision>()
                .Where(d => d.Id == decision.Id && d.SignalledAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.SignalledAt, at), cancellationToken);
            LogDecisionSignalled(decision.Id, decision.AssessmentId);
        }

        return pending.Count;
    }

    private async Task<int> StartQuestionnaireWatchesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Assessments.AsNoTracking()
            .Where(a => a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return 0;
        }

        var watched = await HeldReferencesAsync(db, QuestionnaireDeadlineWorkflow.DefinitionId, cancellationToken);
        var policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        var started = 0;
        foreach (var assessmentId in open.Where(id => !watched.Contains(id.ToString("D"))))
        {
            // The held set above is the cheap first look; the start lock makes it exact when two processes sweep at once.
            var (instanceId, created) = await starts.StartOnceAsync(
                QuestionnaireDeadlineWorkflow.DefinitionId,
                QuestionnaireDeadlineWorkflow.DefinitionVersion,
                new QuestionnaireDeadlineData { AssessmentId = assessmentId, PolicyVersion = policyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
                assessmentId.ToString("D"),
                StartRule.WhileNoneHeld,
                cancellationToken);
            if (created)
            {
                LogStarted(QuestionnaireDeadlineWorkflow.DefinitionId, assessmentId, instanceId);
                started++;
            }
        }

        return started;
    }

    private async Task<int> StartRemediationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => r.State != RemediationState.Closed)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return 0;
        }

        var held = await HeldReferencesAsync(db, RemediationWorkflow.DefinitionId, cancellationToken);
        var started = 0;
        foreach (var remediationId in open.Where(id => !held.Contains(id.ToString("D"))))
        {
            // The start lock inside makes the held set exact when two processes sweep (or the review starts a case) at once.
            var (instanceId, created) = await remediations.StartOnceAsync(remediationId, cancellationToken);
            if (created)
            {
                LogStarted(RemediationWorkflow.DefinitionId, remediationId, instanceId);
                started++;
            }
        }

        return started;
    }

    /// <summary>
    /// One credential-monitoring instance per credential, ever: a finished watch (the credential expired or was
    /// withdrawn) is not started again; a renewed credential is a new credential with a watch of its own. Credentials
    /// that had ended before anyone watched them are left alone.
    /// </summary>
    private Task<int> StartCredentialMonitorsAsync(CancellationToken cancellationToken) =>
        StartCredentialMonitorsAsync(submittedSince: null, cancellationToken);

    /// <summary>
    /// The fast lane for new credentials (<see cref="WorkflowEngineOptions.CredentialIntakeInterval"/>): those
    /// submitted within the last <paramref name="window"/> without a watch get one now, so the first verification
    /// follows the submission within seconds. The full sweep stays the backstop for anything older.
    /// </summary>
    /// <remarks>Not behind the sweep's gate (a long sweep must not hold it up): the start lock keeps the two apart.</remarks>
    public Task<int> StartNewCredentialMonitorsAsync(TimeSpan window, CancellationToken cancellationToken) =>
        StartCredentialMonitorsAsync(clock.GetUtcNow() - window, cancellationToken);

    /// <summary>Starts the watch of one credential unless it has (or had) one; the instance id either way.</summary>
    public async Task<(string InstanceId, bool Started)> StartCredentialMonitorAsync(Guid credentialId, int policyVersion, CancellationToken cancellationToken)
    {
        var result = await starts.StartOnceAsync(
            Credentials.CredentialMonitoringWorkflow.DefinitionId,
            Credentials.CredentialMonitoringWorkflow.DefinitionVersion,
            new Credentials.CredentialMonitoringData { CredentialId = credentialId, PolicyVersion = policyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
            credentialId.ToString("D"),
            // A completed monitor also holds its credential: it ended on purpose (withdrawn or expired).
            StartRule.OncePerReference,
            cancellationToken);
        if (result.Started)
        {
            LogStarted(Credentials.CredentialMonitoringWorkflow.DefinitionId, credentialId, result.InstanceId);
        }

        return result;
    }

    private async Task<int> StartCredentialMonitorsAsync(DateTimeOffset? submittedSince, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var query = db.Credentials.AsNoTracking();
        if (submittedSince is { } since)
        {
            query = query.Where(c => c.SubmittedAt >= since);
        }

        var credentials = (await query
            .Select(c => new { c.Id, c.ValidUntil })
            .ToListAsync(cancellationToken))
            .Where(c => c.ValidUntil is null || c.ValidUntil > now)
            .Select(c => c.Id)
            .ToList();
        if (credentials.Count == 0)
        {
            return 0;
        }

        var definition = Credentials.CredentialMonitoringWorkflow.DefinitionId;
        // Unlike HeldReferencesAsync, a completed monitor also holds its credential (see StartCredentialMonitorAsync);
        // this read only saves lock round trips, the start itself checks again under the start lock.
        var references = credentials.Select(id => id.ToString("D")).ToList();
        var held = (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definition && w.Reference != null)
            .Where(w => submittedSince == null || references.Contains(w.Reference!))
            .Select(w => w.Reference!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = credentials.Where(id => !held.Contains(id.ToString("D"))).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        var policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        var started = 0;
        foreach (var credentialId in missing)
        {
            if ((await StartCredentialMonitorAsync(credentialId, policyVersion, cancellationToken)).Started)
            {
                started++;
            }
        }

        return started;
    }

    private async Task<int> StartExclusionWatchesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var excluded = await db.Suppliers.AsNoTracking()
            .Where(s => s.Tier == Core.Suppliers.SupplierTier.Excluded)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        if (excluded.Count == 0)
        {
            return 0;
        }

        var held = await HeldReferencesAsync(db, ExclusionRevalidationWorkflow.DefinitionId, cancellationToken);
        var policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        var started = 0;
        foreach (var supplierId in excluded.Where(id => !held.Contains(id.ToString("D"))))
        {
            var (instanceId, created) = await starts.StartOnceAsync(
                ExclusionRevalidationWorkflow.DefinitionId,
                ExclusionRevalidationWorkflow.DefinitionVersion,
                new ExclusionRevalidationData { SupplierId = supplierId, StartedAt = clock.GetUtcNow().UtcDateTime, WorkflowPolicyVersion = policyVersion },
                supplierId.ToString("D"),
                StartRule.WhileNoneHeld,
                cancellationToken);
            if (created)
            {
                LogStarted(ExclusionRevalidationWorkflow.DefinitionId, supplierId, instanceId);
                started++;
            }
        }

        return started;
    }

    /// <summary>One onboarding per supplier still Invited or Onboarding, ever (a finished one is not started again).</summary>
    private async Task<int> StartOnboardingsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var onboarding = await db.Suppliers.AsNoTracking()
            .Where(s => s.Lifecycle == Core.Suppliers.SupplierLifecycle.Invited || s.Lifecycle == Core.Suppliers.SupplierLifecycle.Onboarding)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        if (onboarding.Count == 0)
        {
            return 0;
        }

        var definition = Onboarding.OnboardingWorkflow.DefinitionId;
        // Unlike HeldReferencesAsync, a completed onboarding also holds its supplier: onboarding runs once per supplier.
        // This read only saves lock round trips; the start checks again under the start lock.
        var held = (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definition && w.Reference != null)
            .Select(w => w.Reference!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var started = 0;
        foreach (var supplierId in onboarding.Where(id => !held.Contains(id.ToString("D"))))
        {
            if ((await StartOnboardingAsync(supplierId, cancellationToken)).Started)
            {
                started++;
            }
        }

        return started;
    }

    /// <summary>
    /// Starts the onboarding of a supplier unless it has (or had) one, with the workflow policy version in force;
    /// the instance id either way. Used by the sweep and at the moment of an invitation or a sign-up.
    /// </summary>
    public async Task<(string InstanceId, bool Started)> StartOnboardingAsync(Guid supplierId, CancellationToken cancellationToken)
    {
        int policyVersion;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        }

        var definition = Onboarding.OnboardingWorkflow.DefinitionId;
        var result = await starts.StartOnceAsync(
            definition,
            Onboarding.OnboardingWorkflow.DefinitionVersion,
            new Onboarding.OnboardingData { SupplierId = supplierId, PolicyVersion = policyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
            supplierId.ToString("D"),
            StartRule.OncePerReference,
            cancellationToken);
        if (result.Started)
        {
            LogStarted(definition, supplierId, result.InstanceId);
        }

        return result;
    }

    /// <summary>
    /// A milestone committed whose event was lost (a crash, or a failed publish after the commit) would leave its
    /// onboarding waiting for ever: for each wait whose milestone is in the database, the event is published again.
    /// </summary>
    private async Task<int> RepublishOnboardingMilestonesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string[] names = [Onboarding.OnboardingWorkflow.TierDecidedEvent, Onboarding.OnboardingWorkflow.QuestionnaireIssuedEvent];
        var waits = await db.Set<PersistedSubscription>().AsNoTracking()
            .Where(s => names.Contains(s.EventName))
            .Select(s => new { s.EventName, s.EventKey })
            .ToListAsync(cancellationToken);
        var published = 0;
        foreach (var wait in waits)
        {
            if (!Guid.TryParse(wait.EventKey, out var supplierId))
            {
                continue;
            }

            object? data = wait.EventName == Onboarding.OnboardingWorkflow.TierDecidedEvent
                ? await db.TierDecisions.AsNoTracking().AnyAsync(d => d.SupplierId == supplierId, cancellationToken) ? supplierId : null
                : await db.Assessments.AsNoTracking().Where(a => a.SupplierId == supplierId).OrderByDescending(a => a.IssuedAt).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
            if (data is null)
            {
                continue;
            }

            await controller.PublishEvent(wait.EventName, wait.EventKey, data, clock.GetUtcNow().UtcDateTime);
            LogRepublished(wait.EventName, supplierId);
            published++;
        }

        return published;
    }

    /// <summary>
    /// A resubmission after a return for clarification is saved (the assessment is Submitted again) before the review
    /// starter publishes <see cref="AssessmentReview.ReviewEvents.Resubmitted"/>; a crash in between would leave the
    /// assessment Submitted and its review waiting for ever. For each running review waiting for the resubmission of an
    /// assessment that is Submitted, with no unprocessed event on its way to it, the event is published again. A
    /// duplicate (the starter publishing at the same moment) is harmless: the wait takes one event, the rescoring scores
    /// only an assessment still Submitted, and a later wait starts after the decision that opens it.
    /// </summary>
    private async Task<int> RepublishResubmissionsAsync(DateTimeOffset submittedBefore, CancellationToken cancellationToken)
    {
        const int runnable = (int)WorkflowStatus.Runnable;
        var eventName = AssessmentReview.ReviewEvents.Resubmitted;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var waits = await db.Set<PersistedSubscription>().AsNoTracking()
            .Where(s => s.EventName == eventName)
            .Where(s => db.Set<PersistedWorkflow>().Any(w => w.Id == s.WorkflowId && w.Status == runnable
                && w.WorkflowDefinitionId == AssessmentReview.AssessmentReviewWorkflow.DefinitionId))
            .Where(s => !db.Set<PersistedEvent>().Any(e => e.EventName == eventName && e.EventKey == s.EventKey && !e.IsProcessed && e.EventTime >= s.SubscribeAsOf))
            .Select(s => s.EventKey)
            .ToListAsync(cancellationToken);
        var published = 0;
        foreach (var key in waits.Distinct(StringComparer.Ordinal))
        {
            if (!Guid.TryParse(key, out var assessmentId)
                || !await db.Assessments.AsNoTracking().AnyAsync(a => a.Id == assessmentId && a.State == AssessmentState.Submitted && a.SubmittedAt <= submittedBefore, cancellationToken))
            {
                continue;
            }

            await controller.PublishEvent(eventName, key, assessmentId, clock.GetUtcNow().UtcDateTime);
            LogResubmissionRepublished(assessmentId);
            published++;
        }

        return published;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId} was submitted but had no review workflow; started {InstanceId}.")]
    private partial void LogOrphanRestarted(Guid assessmentId, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Review decision {DecisionId} on assessment {AssessmentId} had not reached its workflow; signalled it now.")]
    private partial void LogDecisionSignalled(Guid decisionId, Guid assessmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Published the resubmission of assessment {AssessmentId} again: it is submitted but its review was still waiting for it.")]
    private partial void LogResubmissionRepublished(Guid assessmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Published {EventName} for supplier {SupplierId} again: the milestone is recorded but its onboarding was still waiting.")]
    private partial void LogRepublished(string eventName, Guid supplierId);

    /// <summary>References with an instance that is running, suspended or was terminated (on purpose).</summary>
    private static async Task<HashSet<string>> HeldReferencesAsync(SupplierAssureDbContext db, string definitionId, CancellationToken cancellationToken)
    {
        var complete = (int)WorkflowStatus.Complete;
        return (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definitionId && w.Status != complete && w.Reference != null)
            .Select(w => w.Reference!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {DefinitionId} for {Reference} as {InstanceId}.")]
    private partial void LogStarted(string definitionId, Guid reference, string instanceId);
}

/// <summary>Runs the <see cref="DeadlineSweeper"/> every sweep interval where the engine runs.</summary>
internal sealed partial class DeadlineSweepService(
    DeadlineSweeper sweeper,
    IOptions<WorkflowEngineOptions> options,
    ILogger<DeadlineSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Real time, not the application clock: this is housekeeping cadence, and a test's frozen clock must not stop it.
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Logged, and tried again at the next tick: one failed sweep must not end the sweeping for good.
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping for deadline workflows to start failed; trying again at the next interval.")]
    private partial void LogSweepFailed(Exception exception);
}

/// <summary>
/// Starts the monitoring of newly submitted credentials every <see cref="WorkflowEngineOptions.CredentialIntakeInterval"/>
/// where the engine runs. Credentials arrive through the partner gateway, which has no workflow runtime (DESIGN §3),
/// so the engine process picks them up from the shared database instead of waiting for the next full sweep.
/// </summary>
internal sealed partial class CredentialIntakeService(
    DeadlineSweeper sweeper,
    IOptions<WorkflowEngineOptions> options,
    ILogger<CredentialIntakeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Real time, like the sweep: a test's frozen clock must not stop it. The window is two sweeps, so a credential
        // is always within reach of the intake or of a full sweep.
        using var timer = new PeriodicTimer(options.Value.CredentialIntakeInterval);
        var window = options.Value.SweepInterval * 2;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweeper.StartNewCredentialMonitorsAsync(window, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogIntakeFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting the monitoring of new credentials failed; trying again at the next interval.")]
    private partial void LogIntakeFailed(Exception exception);
}
