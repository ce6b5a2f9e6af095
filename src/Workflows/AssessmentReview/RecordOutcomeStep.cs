using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Reads where the assessment ended up into the instance's data, so the instance list shows the outcome without a
/// join. Read-only, so running it twice is harmless.
/// </summary>
public sealed class RecordOutcomeStep(IDbContextFactory<SupplierAssureDbContext> contexts) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public AssessmentState? FinalState { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        FinalState = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == AssessmentId)
            .Select(a => (AssessmentState?)a.State)
            .SingleOrDefaultAsync(context.CancellationToken)
            ?? throw new InvalidOperationException($"Assessment {AssessmentId} does not exist.");
        return ExecutionResult.Next();
    }
}
