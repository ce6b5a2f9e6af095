using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Remediation;

/// <summary>
/// Copies the assessment's scoring findings into finding rows, opens a remediation case per open major or minor
/// nonconformity and starts each case's workflow. Every part is idempotent (derived ids, unique finding per case,
/// "already running" check), so a retry after a crash opens nothing twice.
/// </summary>
public sealed partial class OpenRemediationStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    WorkflowRemediationStarter starter,
    TimeProvider clock,
    ILogger<OpenRemediationStep> logger) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public int Opened { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<Guid> cases;
        await using (var db = await contexts.CreateDbContextAsync(context.CancellationToken))
        {
            cases = await new OpenRemediationsHandler(db, clock).HandleAsync(AssessmentId, context.CancellationToken);
        }

        foreach (var remediationId in cases)
        {
            var instanceId = await starter.StartAsync(remediationId, context.CancellationToken);
            LogStarted(AssessmentId, remediationId, instanceId);
        }

        Opened = cases.Count;
        return ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessment {AssessmentId}: remediation {RemediationId} runs as {InstanceId}.")]
    private partial void LogStarted(Guid assessmentId, Guid remediationId, string instanceId);
}
