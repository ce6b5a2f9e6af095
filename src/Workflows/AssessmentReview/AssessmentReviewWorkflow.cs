using SupplierAssure.Core.Assessments;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.AssessmentReview;

/// <summary>What the assessment-review workflow carries between steps; stored as JSON with the instance.</summary>
public sealed class AssessmentReviewData
{
    public Guid AssessmentId { get; set; }

    /// <summary>The state the assessment was in after scoring (Approved, UnderReview or Audit).</summary>
    public AssessmentState? ResultingState { get; set; }

    public decimal? OverallScore { get; set; }

    /// <summary>The route the policy chose; null when this run found the assessment already scored.</summary>
    public ReviewRoute? Route { get; set; }

    /// <summary>The status change feed row this scoring appended, when the supplier's status changed.</summary>
    public long? StatusSequence { get; set; }

    /// <summary>True when the step found the assessment already scored (a retry after a committed scoring).</summary>
    public bool AlreadyScored { get; set; }

    /// <summary>
    /// When the instance was started (UTC, from the application's clock). Version 2 waits only for events published
    /// from then on, so a decision about an earlier submission of the same assessment is never taken for this one.
    /// </summary>
    public DateTime StartedAt { get; set; }

    /// <summary>The audit completion that let the review continue (version 2, audit route).</summary>
    public Guid? AuditDecisionId { get; set; }

    /// <summary>The reviewer's decision the instance received (version 2).</summary>
    public Guid? DecisionId { get; set; }

    /// <summary>Where the assessment stood when the instance finished (version 2).</summary>
    public AssessmentState? FinalState { get; set; }

    /// <summary>The workflow policy version in force when the instance started (version 3 issues the reassessment with it).</summary>
    public int WorkflowPolicyVersion { get; set; }

    /// <summary>Remediation cases the instance opened (version 3).</summary>
    public int RemediationsOpened { get; set; }

    /// <summary>The reassessment workflow started after an approval (version 3).</summary>
    public string? ReassessmentInstanceId { get; set; }

    /// <summary>False until a decision ends the review (version 4: a return for clarification does not).</summary>
    public bool ReviewFinished { get; set; }

    /// <summary>True while the assessment is back with the supplier for clarification (version 4).</summary>
    public bool AwaitingClarification { get; set; }

    /// <summary>From when the next wait matches events (version 4); null: from <see cref="StartedAt"/>.</summary>
    public DateTime? DecisionWaitFrom { get; set; }

    /// <summary>Resubmissions after a return for clarification that were scored (version 4).</summary>
    public int ClarificationRounds { get; set; }
}

/// <summary>
/// Issue 2's review of a submitted assessment: score it, route it by policy, update the supplier's status.
/// Superseded by <see cref="AssessmentReviewWorkflowV2"/> for new submissions; stays registered so that instances
/// started on it finish on it.
/// </summary>
public sealed class AssessmentReviewWorkflow(TimeSpan stepRetryInterval) : IWorkflow<AssessmentReviewData>
{
    public const string DefinitionId = "assessment-review";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<AssessmentReviewData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            // A failure is retried after a pause, never skipped: a submission that is not scored must stay visible
            // as a running instance with recorded errors, not vanish as "complete".
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWithScoreAndRoute(stepRetryInterval);
    }
}

internal static class AssessmentReviewSteps
{
    /// <summary>The scoring step both versions start with, with its inputs, outputs and retry.</summary>
    public static IStepBuilder<AssessmentReviewData, ScoreAssessmentStep> StartWithScoreAndRoute(
        this IWorkflowBuilder<AssessmentReviewData> builder, TimeSpan stepRetryInterval) =>
        builder
            .StartWith<ScoreAssessmentStep>()
                .Name("score-and-route")
                .Input(step => step.AssessmentId, data => data.AssessmentId)
                .Output(data => data.ResultingState, step => step.ResultingState)
                .Output(data => data.OverallScore, step => step.OverallScore)
                .Output(data => data.Route, step => step.Route)
                .Output(data => data.StatusSequence, step => step.StatusSequence)
                .Output(data => data.AlreadyScored, step => step.AlreadyScored)
                .OnError(WorkflowErrorHandling.Retry, stepRetryInterval);
}
