using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>One scored submission in the review queue.</summary>
public sealed record ReviewQueueRow(
    Guid AssessmentId,
    Guid SupplierId,
    string Supplier,
    SupplierTier Tier,
    AssessmentState State,
    decimal? OverallScore,
    int? MaturityLevel,
    RiskRating? RiskRating,
    int? CriticalGaps,
    int OpenMajors,
    int OpenMinors,
    int OpenQuestions,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ScoredAt);

/// <summary>
/// The submissions waiting on the operator: Under review (a decision is due), back with the supplier for
/// clarification, or in audit. Three queries whatever the queue's length (assessments, open findings, open comment
/// threads), oldest scoring first.
/// </summary>
public sealed class ReviewQueue(SupplierAssureDbContext db)
{
    public static readonly IReadOnlyList<AssessmentState> States = [AssessmentState.UnderReview, AssessmentState.Clarification, AssessmentState.Audit];

    public async Task<IReadOnlyList<ReviewQueueRow>> ListAsync(AssessmentState? state, CancellationToken cancellationToken)
    {
        var states = state is { } only ? [only] : States.ToArray();
        var rows = await db.Assessments.AsNoTracking()
            .Where(a => states.Contains(a.State))
            .Select(a => new
            {
                a.Id, a.SupplierId, Supplier = a.Supplier!.LegalName, a.TierAtIssue, a.State, a.OverallScore, a.MaturityLevel, a.RiskRating,
                a.CriticalGapCount, a.SubmittedAt, a.ScoredAt,
            })
            .ToListAsync(cancellationToken);
        var ids = rows.ConvertAll(r => r.Id);
        var findings = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => ids.Contains(f.AssessmentId) && f.State == AssessmentFindingState.Open)
            .GroupBy(f => f.AssessmentId)
            .Select(g => new
            {
                g.Key,
                Majors = g.Count(f => f.Grade == NonconformityGrade.MajorNonconformity),
                Minors = g.Count(f => f.Grade == NonconformityGrade.MinorNonconformity),
            })
            .ToDictionaryAsync(g => g.Key, cancellationToken);
        var comments = (await db.Set<ReviewComment>().AsNoTracking()
            .Where(c => ids.Contains(c.AssessmentId) && !c.FromSupplier)
            .Select(c => new { c.AssessmentId, c.QuestionCode, c.CreatedAt })
            .ToListAsync(cancellationToken))
            .ToLookup(c => c.AssessmentId);
        return rows
            .Select(r => new ReviewQueueRow(
                r.Id, r.SupplierId, r.Supplier, r.TierAtIssue, r.State, r.OverallScore, r.MaturityLevel, r.RiskRating, r.CriticalGapCount,
                findings.TryGetValue(r.Id, out var f) ? f.Majors : 0,
                findings.TryGetValue(r.Id, out var g) ? g.Minors : 0,
                comments[r.Id].Where(c => r.SubmittedAt is null || c.CreatedAt >= r.SubmittedAt).Select(c => c.QuestionCode).Distinct(StringComparer.Ordinal).Count(),
                r.SubmittedAt,
                r.ScoredAt))
            .OrderBy(r => r.State == AssessmentState.UnderReview ? 0 : r.State == AssessmentState.Audit ? 1 : 2)
            .ThenBy(r => r.ScoredAt ?? r.SubmittedAt)
            .ToList();
    }
}
