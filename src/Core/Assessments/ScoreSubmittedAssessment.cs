using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Assessments;

public sealed record ScoreOutcome(AssessmentState State, decimal OverallScore, ReviewRoute Route, long? StatusSequence);

/// <summary>
/// Scores a submitted assessment, routes it by policy and updates the supplier's assurance status, writing the
/// status change feed row in the same transaction. Idempotent: an assessment already past Submitted is left alone.
/// </summary>
public sealed class ScoreSubmittedAssessmentHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Writes a scoring onto the assessment (score, maturity, gaps, risk, versions, the snapshot), the supplier's clause
    /// maturities and the supplier's current position. Shared by a first scoring and the rescoring of a resubmission.
    /// </summary>
    public static async Task ApplyScoreAsync(
        SupplierAssureDbContext db, Assessment assessment, ScoreResult result, int tierPolicyVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(result);
        assessment.ScoredAt = now;
        assessment.OverallScore = result.OverallScore;
        assessment.MaturityLevel = result.MaturityLevel;
        assessment.CriticalGapCount = result.CriticalGapCount;
        assessment.RiskRating = result.RiskRating;
        assessment.ScoringModelVersion = result.ModelVersion;
        assessment.TierPolicyVersion = tierPolicyVersion;
        assessment.ScoreResultJson = JsonSerializer.Serialize(result, SnapshotJson);
        await Kpis.SupplierClauseMaturity.ReplaceAsync(db, assessment.SupplierId, assessment.Id, result.Clauses, cancellationToken);

        var supplier = assessment.Supplier!;
        supplier.OverallScore = result.OverallScore;
        supplier.MaturityLevel = result.MaturityLevel;
        supplier.RiskRating = result.RiskRating;
        supplier.LastAssessedAt = now;
    }

    public async Task<ScoreOutcome?> HandleAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments
            .Include(a => a.Answers)
            .Include(a => a.Supplier)
            .SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {assessmentId} does not exist.");
        if (assessment.State != AssessmentState.Submitted)
        {
            return null;
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
        var route = ReviewRoutingPolicy.Decide(assessment.TierAtIssue, result, policy);
        var now = clock.GetUtcNow();

        assessment.State = ReviewRoutingPolicy.StateFor(route);
        await ApplyScoreAsync(db, assessment, result, policy.Version, now, cancellationToken);
        var supplier = assessment.Supplier!;
        if (assessment.State == AssessmentState.Approved)
        {
            supplier.ValidUntil = now.AddYears(1);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The graded findings are saved with the score, so a reviewer never sees a scored assessment without them.
        await Remediation.ScoringFindings.AddMissingAsync(db, assessment.Id, assessment.SupplierId, result, now, cancellationToken);
        var reason = route switch
        {
            ReviewRoute.AutoApprove => $"Assessment scored {result.OverallScore} with no critical gap; approved by tier policy version {policy.Version}.",
            ReviewRoute.Audit => $"Assessment scored {result.OverallScore}; tier policy version {policy.Version} requires a second-party audit for this tier.",
            _ => $"Assessment scored {result.OverallScore} with {result.CriticalGapCount} critical gap(s); waiting for a reviewer under tier policy version {policy.Version}.",
        };
        var change = StatusFeed.Record(db, supplier, ReviewRoutingPolicy.AssuranceFor(assessment.State), reason, now);
        await db.SaveChangesAsync(cancellationToken);
        if (change is not null)
        {
            StatusFeed.LinkLastSequence(supplier, change);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ScoreOutcome(assessment.State, result.OverallScore, route, change?.Sequence);
    }
}
