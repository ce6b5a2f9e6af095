using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>What the audit form starts with when an audit is planned from a review's audit route.</summary>
public sealed record AuditPlanSuggestion(
    Guid AssessmentId,
    Guid SupplierId,
    DateTimeOffset IssuedAt,
    AuditType Type,
    string Objectives,
    string? ScopeProcesses,
    string CriteriaClauses,
    IReadOnlyList<string> WeakAreas);

/// <summary>
/// Plans a second-party audit from an assessment whose review routed it to audit: the audit looks where the
/// questionnaire scored weakest. A clause, control domain or section is weak when it scored below 60 % (maturity 3
/// or less) or holds a critical gap. The criteria are the weak clauses (all clauses when none is weak), the processes
/// in scope the weak control domains, and the kind of audit follows how serious the weaknesses are: critical gaps or
/// a high risk rating call for an on-site visit, other weak clauses for a remote audit, and a questionnaire with no
/// weak area for a document review. The auditor can change any of it on the form.
/// </summary>
public static class ReviewAuditPlan
{
    public const decimal WeakBelow = 60m;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The suggestion for <paramref name="assessmentId"/>; null when it does not exist or is not waiting for an audit.</summary>
    public static async Task<AuditPlanSuggestion?> SuggestAsync(SupplierAssureDbContext db, Guid assessmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == assessmentId && a.State == AssessmentState.Audit)
            .Select(a => new { a.Id, a.SupplierId, a.IssuedAt, a.ScoreResultJson })
            .SingleOrDefaultAsync(cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var result = assessment.ScoreResultJson is null ? null : JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, Json);
        return Suggest(assessment.Id, assessment.SupplierId, assessment.IssuedAt, result);
    }

    public static AuditPlanSuggestion Suggest(Guid assessmentId, Guid supplierId, DateTimeOffset issuedAt, ScoreResult? result)
    {
        var issued = issuedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (result is null)
        {
            return new AuditPlanSuggestion(assessmentId, supplierId, issuedAt, AuditType.Remote,
                $"Check on evidence what the questionnaire issued on {issued} claims; it has no score to point at weaker areas.",
                null, string.Join(',', AuditCriteria.Clauses), []);
        }

        var criticalClauses = result.Gaps.Where(g => g.Critical).Select(g => MainClause(g.Clause)).ToHashSet(StringComparer.Ordinal);
        var criticalDomains = result.Gaps.Where(g => g.Critical && g.Domain is not null).Select(g => g.Domain!.Value.ToString()).ToHashSet(StringComparer.Ordinal);
        var weakClauses = result.Clauses.Where(c => c.Score < WeakBelow || criticalClauses.Contains(c.Key)).OrderBy(c => ClauseOrder(c.Key)).ToList();
        var weakDomains = result.Domains.Where(d => d.Score < WeakBelow || criticalDomains.Contains(d.Key)).OrderBy(d => d.Score).ToList();
        var weakSections = result.Sections.Where(s => s.Score < WeakBelow).OrderBy(s => s.Score).ToList();
        var clauses = weakClauses.Select(c => c.Key).Where(k => AuditCriteria.Clauses.Contains(k, StringComparer.Ordinal)).ToList();
        var type = result.CriticalGapCount > 0 || result.RiskRating >= RiskRating.High ? AuditType.OnSite
            : clauses.Count > 0 || weakDomains.Count > 0 ? AuditType.Remote
            : AuditType.DocumentReview;

        var areas = new List<string>();
        areas.AddRange(weakClauses.Select(c => Describe($"clause {c.Key} ({c.Title})", c.Score)));
        areas.AddRange(weakDomains.Select(d => Describe(d.Title, d.Score)));
        areas.AddRange(weakSections.Select(s => Describe($"section {s.Section}", s.Score)));
        var objectives = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Check on evidence what the questionnaire issued on {issued} claims (overall {result.OverallScore:0.0} %, {result.CriticalGapCount} critical gap(s))."));
        objectives.Append(areas.Count == 0
            ? " No area scored below 60 %: confirm the documents behind the answers."
            : " Look first where it scored weakest: " + string.Join("; ", areas) + ".");
        var text = objectives.ToString();
        return new AuditPlanSuggestion(
            assessmentId,
            supplierId,
            issuedAt,
            type,
            text.Length <= SupplierAudit.MaxTextLength ? text : text[..SupplierAudit.MaxTextLength],
            weakDomains.Count == 0 ? null : Clip(string.Join(", ", weakDomains.Select(d => d.Title)), SupplierAudit.MaxShortTextLength),
            string.Join(',', clauses.Count == 0 ? AuditCriteria.Clauses : clauses),
            areas);
    }

    private static string Describe(string name, decimal score) => string.Create(CultureInfo.InvariantCulture, $"{name} {score:0.0} %");

    private static string MainClause(string clause)
    {
        var dot = clause.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? clause : clause[..dot];
    }

    private static int ClauseOrder(string key) => int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
