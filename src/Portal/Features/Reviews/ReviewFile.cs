using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Scoring;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>One question as a reviewer reads it: the answer, what it scored, its evidence and its comment thread.</summary>
public sealed record ReviewQuestion(
    TemplateQuestion Question,
    Answer? Answer,
    QuestionScore? Score,
    IReadOnlyList<EvidenceFile> Evidence,
    IReadOnlyList<ReviewComment> Comments,
    bool AskedToClarify);

/// <summary>Everything a reviewer needs to decide on one assessment, read in a fixed handful of queries.</summary>
public sealed record ReviewFile(
    Assessment Assessment,
    string SupplierName,
    string TemplateTitle,
    ScoreResult? Score,
    IReadOnlyList<ReviewQuestion> Questions,
    IReadOnlyList<AssessmentFinding> OpenFindings,
    IReadOnlyList<ReviewDecision> Decisions)
{
    public int AskedToClarifyCount => Questions.Count(q => q.AskedToClarify);
}

/// <summary>
/// Reads an assessment's review file through the caller's tenant-scoped context (another organisation's assessment
/// is not found). Six queries whatever the questionnaire's length: no query per question.
/// </summary>
public sealed class ReviewFileReader(SupplierAssureDbContext db)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    public async Task<ReviewFile?> ReadAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Include(a => a.Supplier)
            .Include(a => a.Template)
            .Include(a => a.Answers)
            .Include(a => a.EvidenceFiles)
            .AsSplitQuery()
            .SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var questions = (await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .OrderBy(q => q.Order)
            .ToListAsync(cancellationToken))
            .Where(q => q.AppliesTo(assessment.TierAtIssue))
            .ToList();
        var threads = await ReviewComments.ThreadsAsync(db, assessmentId, cancellationToken);
        var asked = assessment.State == AssessmentState.Clarification
            ? ReviewComments.OpenQuestions(threads, assessment.SubmittedAt)
            : new HashSet<string>(StringComparer.Ordinal);
        var score = assessment.ScoreResultJson is null ? null : JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, SnapshotJson);
        var scores = (score?.Questions ?? []).ToDictionary(q => q.Code, StringComparer.Ordinal);
        var answers = assessment.Answers.ToDictionary(a => a.QuestionCode, StringComparer.Ordinal);
        var evidence = assessment.EvidenceFiles.OrderBy(e => e.UploadedAt).ToLookup(e => e.QuestionCode, StringComparer.Ordinal);
        var rows = questions.ConvertAll(q => new ReviewQuestion(
            q,
            answers.GetValueOrDefault(q.Code),
            scores.TryGetValue(q.Code, out var s) ? s : null,
            evidence[q.Code].ToList(),
            threads[q.Code].ToList(),
            asked.Contains(q.Code)));
        var findings = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == assessmentId && f.State == AssessmentFindingState.Open)
            .OrderBy(f => f.Grade).ThenBy(f => f.RaisedAt)
            .ToListAsync(cancellationToken);
        var decisions = await db.Set<ReviewDecision>().AsNoTracking()
            .Where(d => d.AssessmentId == assessmentId)
            .ToListAsync(cancellationToken);
        return new ReviewFile(
            assessment,
            assessment.Supplier?.LegalName ?? string.Empty,
            assessment.Template?.Title ?? string.Empty,
            score,
            rows,
            findings,
            decisions.OrderByDescending(d => d.DecidedAt).ToList());
    }
}
