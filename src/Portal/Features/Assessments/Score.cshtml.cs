using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Scoring;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// The score breakdown of one assessment for its supplier and for reviewers: clause and domain bars with maturity,
/// findings, and what to fix first, each number with the answers that moved it. Read through the tenant-scoped
/// context, so another organisation's assessment is simply not found.
/// </summary>
[Authorize]
public sealed class ScoreModel(SupplierAssureDbContext db) : PageModel
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    public Assessment Assessment { get; private set; } = null!;
    public ScoreResult? Result { get; private set; }
    /// <summary>False for results stored by a model version that kept no per-question detail.</summary>
    public bool HasBreakdown { get; private set; }
    public IReadOnlyDictionary<string, string> QuestionTexts { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<Priority> Priorities { get; private set; } = [];
    /// <summary>The readiness checklist and common gaps over this assessment's answers and evidence.</summary>
    public IReadOnlyList<RuleResult> Readiness { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Supplier).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return NotFound();
        }

        Assessment = assessment;
        Result = assessment.ScoreResultJson is null ? null : JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, SnapshotJson);
        HasBreakdown = Result is { Clauses: not null, Domains: not null, Findings: not null, Questions: not null };
        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .ToListAsync(cancellationToken);
        QuestionTexts = questions.ToDictionary(q => q.Code, q => q.Text, StringComparer.Ordinal);
        if (Result is not null && HasBreakdown)
        {
            Priorities = ScoreExplanation.WhatToFixFirst(Result);
        }

        var answers = await db.Answers.AsNoTracking()
            .Where(a => a.AssessmentId == id)
            .ToDictionaryAsync(a => a.QuestionCode, a => a.Value, StringComparer.Ordinal, cancellationToken);
        var withEvidence = (await db.EvidenceFiles.AsNoTracking()
            .Where(e => e.AssessmentId == id)
            .Select(e => e.QuestionCode)
            .Distinct()
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        Readiness = ReadinessRules.Evaluate(questions, answers, withEvidence, assessment.TierAtIssue, assessment.Supplier?.Roles ?? default);

        return Page();
    }

    public string TextOf(string code) => QuestionTexts.TryGetValue(code, out var text) ? text : code;

    public static string Grade(FindingGrade grade) => grade switch
    {
        FindingGrade.MajorNonconformity => "Major nonconformity",
        FindingGrade.MinorNonconformity => "Minor nonconformity",
        _ => "Opportunity for improvement",
    };
}
