using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>
/// Version 3 with rounds of clarification: a reviewer's decision to return the assessment for clarification does not
/// end the review. The instance waits for the supplier's resubmission (event <see cref="ReviewEvents.Resubmitted"/>,
/// published when the resubmission asks the starter for the running instance), scores it again, puts it back Under
/// review, copies any new scoring findings, and waits for the next decision; as many rounds as the reviewer needs.
/// </summary>
public sealed class AssessmentReviewWorkflowV4(TimeSpan stepRetryInterval) : IWorkflow<AssessmentReviewData>
{
    public const int DefinitionVersion = 4;

    public string Id => AssessmentReviewWorkflow.DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<AssessmentReviewData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWithScoreAndRoute(stepRetryInterval)
            .Then<OpenRemediationStep>()
                .Name("open-remediation")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.RemediationsOpened, step => step.Opened)
            .If(data => data.ResultingState == AssessmentState.Audit)
                .Do(audit => audit
                    .WaitFor(ReviewEvents.AuditCompleted, data => ReviewEvents.Key(data.AssessmentId), data => data.StartedAt)
                        .Name("wait-for-audit")
                        .Output((step, data) => data.AuditDecisionId = ReviewEvents.DecisionIdOf(step.EventData))
                    .Then<OpenRemediationStep>()
                        .Name("open-audit-remediation")
                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                        .Output((step, data) => data.RemediationsOpened += step.Opened))
            .If(data => data.ResultingState == AssessmentState.Audit || data.ResultingState == AssessmentState.UnderReview)
                .Do(review => review
                    // One pass per step of the conversation: wait for a decision; when it was a return for
                    // clarification, wait for the resubmission and score it; until a decision ends the review.
                    .While(data => !data.ReviewFinished)
                        .Do(round => round
                            .If(data => !data.AwaitingClarification)
                                .Do(decide => decide
                                    .WaitFor(ReviewEvents.ReviewDecided, data => ReviewEvents.Key(data.AssessmentId), data => data.DecisionWaitFrom ?? data.StartedAt)
                                        .Name("wait-for-review-decision")
                                        .Output((step, data) => data.DecisionId = ReviewEvents.DecisionIdOf(step.EventData))
                                    .Then<ReadDecisionStep>()
                                        .Name("read-decision")
                                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                                        .Input(step => step.DecisionId, data => data.DecisionId)
                                        .Output(data => data.ReviewFinished, step => step.Finished)
                                        .Output(data => data.AwaitingClarification, step => step.Clarification)
                                        .Output(data => data.DecisionWaitFrom, step => step.NextWaitFrom))
                            .If(data => data.AwaitingClarification)
                                .Do(clarify => clarify
                                    .WaitFor(ReviewEvents.Resubmitted, data => ReviewEvents.Key(data.AssessmentId), data => data.DecisionWaitFrom ?? data.StartedAt)
                                        .Name("wait-for-clarification")
                                    .Then<RescoreResubmissionStep>()
                                        .Name("rescore-resubmission")
                                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                                        .Output(data => data.AwaitingClarification, step => step.StillInClarification)
                                        .Output(data => data.DecisionWaitFrom, step => step.NextWaitFrom)
                                        .Output((step, data) => data.ClarificationRounds += step.Scored ? 1 : 0)
                                    .Then<OpenRemediationStep>()
                                        .Name("open-resubmission-remediation")
                                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                                        .Output((step, data) => data.RemediationsOpened += step.Opened))))
            .Then<RecordOutcomeStep>()
                .Name("record-outcome")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.FinalState, step => step.FinalState)
            .If(data => data.FinalState == AssessmentState.Approved || data.FinalState == AssessmentState.ConditionallyApproved)
                .Do(approved => approved
                    .StartWith<StartReassessmentStep>()
                        .Name("schedule-reassessment")
                        .Input(step => step.AssessmentId, data => data.AssessmentId)
                        .Input(step => step.PolicyVersion, data => data.WorkflowPolicyVersion)
                        .Output(data => data.ReassessmentInstanceId, step => step.InstanceId));
    }
}

/// <summary>
/// Reads what the decision the instance received did: a final decision ends the review; a return for clarification
/// starts a round (the resubmission is awaited from the decision's time on). The decision's recorded outcome decides,
/// not the assessment's state when this step runs: a supplier quick enough to resubmit before it runs has already
/// moved the assessment on (to Submitted), and reading that as an end of the review lost the resubmission. An event
/// with no readable decision falls back to the state; one that leaves the review open (a stale one) is passed over:
/// the next wait starts just after it. Read-only.
/// </summary>
public sealed class ReadDecisionStep(IDbContextFactory<SupplierAssureDbContext> contexts, TimeProvider clock) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public Guid? DecisionId { get; set; }

    public bool Finished { get; private set; }

    public bool Clarification { get; private set; }

    public DateTime? NextWaitFrom { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var state = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == AssessmentId)
            .Select(a => (AssessmentState?)a.State)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {AssessmentId} does not exist.");
        var decision = DecisionId is null ? null : await db.Set<ReviewDecision>().AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == DecisionId, cancellationToken);
        var decidedAt = DateTime.SpecifyKind((decision?.DecidedAt ?? clock.GetUtcNow()).UtcDateTime, DateTimeKind.Utc);
        (Finished, Clarification) = decision?.Outcome switch
        {
            ReviewOutcome.ReturnForClarification => (false, true),
            ReviewOutcome.Approve or ReviewOutcome.ConditionallyApprove or ReviewOutcome.Reject or ReviewOutcome.Return => (true, false),
            null => (state is not (AssessmentState.Clarification or AssessmentState.UnderReview), state == AssessmentState.Clarification),
            _ => (false, false),
        };
        NextWaitFrom = Finished ? null : Clarification ? decidedAt : decidedAt.AddMilliseconds(1);

        return ExecutionResult.Next();
    }
}

/// <summary>
/// Scores the resubmission and puts the assessment back Under review (<see cref="RescoreResubmissionHandler"/>). An
/// event that finds the assessment still in clarification (not actually resubmitted) sends the instance back to
/// waiting for the resubmission, from now on so that the same event is not taken again.
/// </summary>
public sealed class RescoreResubmissionStep(IDbContextFactory<SupplierAssureDbContext> contexts, TimeProvider clock) : StepBodyAsync
{
    public Guid AssessmentId { get; set; }

    public bool Scored { get; private set; }

    public bool StillInClarification { get; private set; }

    public DateTime? NextWaitFrom { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A concurrency conflict (someone saving the assessment at the same moment) is left to the engine's retry;
        // the handler is idempotent, so the retry scores once.
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var outcome = await new RescoreResubmissionHandler(db, clock).HandleAsync(AssessmentId, context.CancellationToken);

        // The findings the clarification resolved, in the audit log after the commit (and on the supplier's timeline).
        // Note: a crash between the commit and these appends loses the entries (the findings stay closed with their
        // note); the log is never written inside a caller's transaction (see AuditLog.AppendAsync).
        var audit = new AuditLog(contexts, clock);
        foreach (var finding in outcome.Resolved ?? [])
        {
            await audit.AppendAsync(new AuditRecord(FindingAuditKinds.ResolvedByClarification, null, null, finding.SupplierId, $"finding:{finding.Id:D}",
                $"{RescoreResubmissionHandler.ResolvedNote} Assessment {finding.AssessmentId:D}, {finding.Reference}: {finding.Summary}"), context.CancellationToken);
        }

        Scored = outcome.Scored;
        StillInClarification = outcome.State == AssessmentState.Clarification;
        NextWaitFrom = StillInClarification ? clock.GetUtcNow().UtcDateTime : outcome.DecisionWaitFrom;
        return ExecutionResult.Next();
    }
}
