using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Starts the deadline workflows that should be running and are not: one per open questionnaire (Issued or In
/// progress) and one per remediation case that is not closed. Runs when the engine starts and every
/// <see cref="WorkflowEngineOptions.SweepInterval"/>, so a questionnaire issued anywhere (demo seed, reassessment,
/// another process) and a case whose start was lost in a crash get their timers. An instance an administrator
/// terminated is left terminated.
/// </summary>
public sealed partial class DeadlineSweeper(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    IWorkflowController controller,
    WorkflowDefinitions definitions,
    WorkflowRemediationStarter remediations,
    TimeProvider clock,
    ILogger<DeadlineSweeper> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        definitions.EnsureRegistered();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await StartQuestionnaireWatchesAsync(cancellationToken) + await StartRemediationsAsync(cancellationToken)
                + await StartCredentialMonitorsAsync(cancellationToken) + await StartExclusionWatchesAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
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
            var instanceId = await controller.StartWorkflow(
                QuestionnaireDeadlineWorkflow.DefinitionId,
                QuestionnaireDeadlineWorkflow.DefinitionVersion,
                new QuestionnaireDeadlineData { AssessmentId = assessmentId, PolicyVersion = policyVersion, StartedAt = clock.GetUtcNow().UtcDateTime },
                assessmentId.ToString("D"));
            LogStarted(QuestionnaireDeadlineWorkflow.DefinitionId, assessmentId, instanceId);
            started++;
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
            var instanceId = await remediations.StartAsync(remediationId, cancellationToken);
            LogStarted(RemediationWorkflow.DefinitionId, remediationId, instanceId);
            started++;
        }

        return started;
    }

    /// <summary>
    /// One credential-monitoring instance per credential, ever: a finished watch (the credential expired or was
    /// withdrawn) is not started again; a renewed credential is a new credential with a watch of its own. Credentials
    /// that had ended before anyone watched them are left alone.
    /// </summary>
    private async Task<int> StartCredentialMonitorsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var credentials = (await db.Credentials.AsNoTracking()
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
        var held = (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definition && w.Reference != null)
            .Select(w => w.Reference!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var policyVersion = (await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken)).Version;
        var started = 0;
        foreach (var credentialId in credentials.Where(id => !held.Contains(id.ToString("D"))))
        {
            var instanceId = await controller.StartWorkflow(
                definition,
                Credentials.CredentialMonitoringWorkflow.DefinitionVersion,
                new Credentials.CredentialMonitoringData { CredentialId = credentialId, PolicyVersion = policyVersion, StartedAt = now.UtcDateTime },
                credentialId.ToString("D"));
            LogStarted(definition, credentialId, instanceId);
            started++;
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
        var started = 0;
        foreach (var supplierId in excluded.Where(id => !held.Contains(id.ToString("D"))))
        {
            var instanceId = await controller.StartWorkflow(
                ExclusionRevalidationWorkflow.DefinitionId,
                ExclusionRevalidationWorkflow.DefinitionVersion,
                new ExclusionRevalidationData { SupplierId = supplierId, StartedAt = clock.GetUtcNow().UtcDateTime },
                supplierId.ToString("D"));
            LogStarted(ExclusionRevalidationWorkflow.DefinitionId, supplierId, instanceId);
            started++;
        }

        return started;
    }

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
