using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Reviews;

/// <summary>The audit log kinds of finding changes made by the system.</summary>
public static class FindingAuditKinds
{
    public const string ResolvedByClarification = "finding.resolved-by-clarification";
}

/// <summary>A scoring finding the resubmission's answers resolved (closed by the rescoring).</summary>
public sealed record ResolvedFinding(Guid Id, Guid SupplierId, Guid AssessmentId, string? Reference, string Summary);

/// <summary>What scoring a resubmission did, and from when the review waits for its next decision.</summary>
public sealed record RescoreOutcome(bool Scored, AssessmentState State, decimal? OverallScore, DateTime DecisionWaitFrom, IReadOnlyList<ResolvedFinding>? Resolved = null);

/// <summary>
/// Scores an assessment the supplier submitted again after a return for clarification and puts it back Under review
/// for the reviewer who asked, whatever the tier policy's route would be for a first submission (the reviewer has not
/// decided yet, so neither an automatic approval nor a new audit applies). Score, state, supplier status and status
/// feed row commit together. The earlier scoring findings that the new answers no longer produce (the clarification
/// removed the gap, or changed its grade) close in the same transaction, with their open corrective actions, noted as
/// resolved by the clarification answer; findings the rescoring still finds stay open and are not added again.
/// Idempotent: an assessment no longer Submitted is left as it is.
/// </summary>
public sealed class RescoreResubmissionHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<RescoreOutcome> HandleAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments
            .Include(a => a.Answers)
            .Include(a => a.Supplier)
            .SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {assessmentId} does not exist.");
        var lastDecisionAt = await db.Set<ReviewDecision>().AsNoTracking()
            .Where(d => d.AssessmentId == assessmentId)
            .OrderByDescending(d => d.DecidedAt)
            .Select(d => (DateTimeOffset?)d.DecidedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (assessment.State != AssessmentState.Submitted)
        {
            return new RescoreOutcome(false, assessment.State, assessment.OverallScore, WaitFrom(assessment.SubmittedAt, lastDecisionAt));
        }

        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .OrderBy(q => q.Order)
            .ToListAsync(cancellationToken);
        var answers = assessment.Answers.ToDictionary(a => a.QuestionCode, a => a.Value, StringComparer.Ordinal);
        var withEvidence = (await db.EvidenceFiles.AsNoTracking()
            .Where(e => e.AssessmentId == assessment.Id)
            .Select(e => e.QuestionCode)
            .Distinct()
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var policy = await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var context = new ScoringContext(assessment.TierAtIssue, assessment.Supplier!.Roles, withEvidence, policy.ExpectationFor(assessment.TierAtIssue));
        var result = ScoringEngine.Score(ScoringModel.Compile(questions), answers, context);
        var now = clock.GetUtcNow();

        assessment.State = AssessmentState.UnderReview;
        await Assessments.ScoreSubmittedAssessmentHandler.ApplyScoreAsync(db, assessment, result, policy.Version, now, cancellationToken);

        // The new scoring's graded findings are saved with it, as for a first submission (those already there are kept);
        // the open ones it no longer finds are resolved.
        var resolved = await Remediation.ScoringFindings.CloseResolvedAsync(db, assessment.Id, result, now, ResolvedNote, cancellationToken);
        await Remediation.ScoringFindings.AddMissingAsync(db, assessment.Id, assessment.SupplierId, result, now, cancellationToken);
        await ReviewTransaction.SaveWithStatusAsync(db, assessment.Supplier!, assessment.State,
            $"Resubmitted after clarification and scored {result.OverallScore}; back with the reviewer.", now, cancellationToken);
        return new RescoreOutcome(true, assessment.State, result.OverallScore, WaitFrom(assessment.SubmittedAt, lastDecisionAt),
            [.. resolved.Select(f => new ResolvedFinding(f.Id, f.SupplierId, f.AssessmentId, f.Reference, f.Summary))]);
    }

    /// <summary>The closing note of a scoring finding that a clarification answer resolved.</summary>
    public const string ResolvedNote = "Resolved by the clarification answer: the rescored resubmission no longer finds this gap.";

    /// <summary>
    /// The next decision is awaited from the resubmission on, and strictly after the decision that returned it: the
    /// engine matches an event published at or after a wait's start, already-processed ones included, so the return
    /// itself must fall before it.
    /// </summary>
    private static DateTime WaitFrom(DateTimeOffset? submittedAt, DateTimeOffset? lastDecisionAt)
    {
        var afterDecision = (lastDecisionAt ?? DateTimeOffset.MinValue).UtcDateTime.AddMilliseconds(1);
        var submitted = (submittedAt ?? DateTimeOffset.MinValue).UtcDateTime;
        return DateTime.SpecifyKind(submitted > afterDecision ? submitted : afterDecision, DateTimeKind.Utc);
    }
}
