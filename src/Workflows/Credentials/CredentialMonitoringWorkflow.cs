using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Credentials;

public sealed class CredentialMonitoringData
{
    public Guid CredentialId { get; set; }

    /// <summary>The workflow policy version the instance started with: its re-verification interval and warning offset.</summary>
    public int PolicyVersion { get; set; }

    public DateTime StartedAt { get; set; }
}

/// <summary>
/// Watches one credential for as long as it is valid: verified when the watch starts, re-verified on the policy's
/// interval, an expiry warning before its end date, and the supplier's status suspended when it is withdrawn or
/// expires (<see cref="CredentialMonitor"/>). Started for every credential by <see cref="Hosting.DeadlineSweeper"/>.
/// </summary>
public sealed class CredentialMonitoringWorkflow(TimeSpan stepRetryInterval) : IWorkflow<CredentialMonitoringData>
{
    public const string DefinitionId = "credential-monitoring";
    public const int DefinitionVersion = 1;

    /// <summary>The kind under which the step's <see cref="CredentialWatchState"/> is stored.</summary>
    public const string WatchStateKind = "credential-watch";

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<CredentialMonitoringData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WatchCredentialStep>()
                .Name("monitor")
                .Input(step => step.CredentialId, data => data.CredentialId)
                .Input(step => step.PolicyVersion, data => data.PolicyVersion);
    }
}

/// <summary>Runs one <see cref="CredentialMonitor"/> check and sleeps until the next moment that matters.</summary>
public sealed partial class WatchCredentialStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    IEnumerable<ICredentialRegistry> registries,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WatchCredentialStep> logger) : StepBodyAsync
{
    public Guid CredentialId { get; set; }

    public int PolicyVersion { get; set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        // The watch state (next re-verification, whether it was ever verified) is the step's persistence data, an
        // allow-listed kind, so a restart keeps the schedule instead of asking the registry again at once.
        var watch = context.PersistenceData as CredentialWatchState;
        var check = await new CredentialMonitor(db, registries, clock).CheckAsync(CredentialId, PolicyVersion, watch, context.Workflow.Id, context.CancellationToken);
        if (check.RegistryProblem is { } problem)
        {
            LogRegistryProblem(CredentialId, problem);
        }

        foreach (var key in check.Notified)
        {
            LogNotified(CredentialId, key);
        }

        return check.Open
            ? ExecutionResult.Sleep(DeadlineSleep.Until(check.NextMoment, clock, options.Value.DeadlineCheckInterval), check.Watch)
            : ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {CredentialId} could not be checked with its registry: {Problem} Its state is unchanged; asking again later.")]
    private partial void LogRegistryProblem(Guid credentialId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId}: sent {NotificationKey}.")]
    private partial void LogNotified(Guid credentialId, string notificationKey);
}
