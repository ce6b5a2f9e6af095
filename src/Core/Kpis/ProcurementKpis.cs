using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Kpis;

public enum ScheduleFilter
{
    InDate,
    Lapsed,
}

public enum CredentialFilter
{
    Valid,
    Missing,
}

public enum CorrectiveActionFilter
{
    Closed,
    ClosedOnTime,
    ClosedLate,
}

public enum QuestionnaireFilter
{
    Completed,
    NotCompleted,
}

/// <summary>
/// The supplier-list filters behind the dashboard's figures: each selects the suppliers a figure counts, by the same
/// definition the figure uses, so a click on a bar lists exactly the suppliers in it.
/// </summary>
public sealed record SupplierKpiFilter(
    ScheduleFilter? Schedule = null,
    CredentialFilter? Credential = null,
    NonconformityGrade? OpenFindingGrade = null,
    string? OpenFindingClause = null,
    CorrectiveActionFilter? CorrectiveActions = null,
    QuestionnaireFilter? Questionnaires = null,
    string? MaturityClause = null,
    int? MaturityLevel = null,
    IReadOnlyList<Guid>? SupplierIds = null)
{
    public bool IsEmpty => this == new SupplierKpiFilter();
}

public sealed record Share(int Part, int Whole)
{
    public decimal? Percent => Whole == 0 ? null : Math.Round(100m * Part / Whole, 1);
}

public sealed record GradeCount(NonconformityGrade Grade, int Count);

public sealed record ClauseCount(string Clause, int Count);

public sealed record GradeDuration(NonconformityGrade Grade, int Closed, decimal MeanDays);

public sealed record TierCount(SupplierTier Tier, int Count);

public sealed record RiskCount(RiskRating Risk, int Count);

/// <summary>One cell of the maturity heat map: how many suppliers reached <see cref="Level"/> in <see cref="Clause"/>.</summary>
public sealed record MaturityCell(string Clause, int Level, int Suppliers);

public sealed record DashboardFigures(
    DateTimeOffset At,
    Share Tier1OnSchedule,
    Share CorrectiveActionsOnTime,
    IReadOnlyList<GradeCount> OpenFindingsByGrade,
    IReadOnlyList<ClauseCount> OpenFindingsByClause,
    decimal? MeanDaysToRemediate,
    IReadOnlyList<GradeDuration> RemediationByGrade,
    Share QuestionnaireCompletion,
    Share Tier1CredentialCoverage,
    IReadOnlyList<TierCount> Tiers,
    IReadOnlyList<RiskCount> Risks,
    IReadOnlyList<MaturityCell> Maturity,
    int SuppliersWithMaturity);

/// <summary>
/// The procurement dashboard's figures, from live data in a fixed number of aggregate queries (none per supplier).
/// The definitions are shared with <see cref="Apply"/>, the supplier-list filters the figures link to.
/// </summary>
public sealed class ProcurementKpis(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>Rates over time (on-time closure, remediation time, completion) look back this far.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(365);

    public static readonly IReadOnlyList<string> Clauses = ["4", "5", "6", "7", "8", "9", "10"];

    /// <summary>The credentials the Tier 1 coverage counts: customs and freight security programmes.</summary>
    public static readonly IReadOnlyList<CredentialType> SecurityProgrammes = [CredentialType.EuAeo, CredentialType.CTpat, CredentialType.TapaFsr, CredentialType.TapaTsr];

    public async Task<DashboardFigures> ComputeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - Window;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var suppliers = db.Suppliers.AsNoTracking();

        var distribution = await suppliers.GroupBy(s => new { s.Tier, s.RiskRating })
            .Select(g => new { g.Key.Tier, g.Key.RiskRating, Count = g.Count() }).ToListAsync(cancellationToken);
        var tier1 = distribution.Where(d => d.Tier == SupplierTier.Tier1Critical).Sum(d => d.Count);
        var tier1InDate = await Apply(suppliers, db, new(Schedule: ScheduleFilter.InDate), now).CountAsync(s => s.Tier == SupplierTier.Tier1Critical, cancellationToken);
        var tier1Credentialed = await Apply(suppliers, db, new(Credential: CredentialFilter.Valid), now).CountAsync(s => s.Tier == SupplierTier.Tier1Critical, cancellationToken);

        var openFindings = await OpenFindingClauses(db)
            .GroupBy(f => new { f.Grade, f.Clause })
            .Select(g => new { g.Key.Grade, g.Key.Clause, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var closed = await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => r.State == RemediationState.Closed && r.ClosedAt != null && r.ClosedAt >= since)
            .Select(r => new { r.Grade, r.OpenedAt, ClosedAt = r.ClosedAt!.Value, Due = r.VerificationDueAt ?? r.ImplementationDueAt })
            .ToListAsync(cancellationToken);

        var questionnaires = await JudgeableQuestionnaires(db, since, today)
            .GroupBy(a => a.SubmittedAt != null)
            .Select(g => new { Completed = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var (maturity, withMaturity) = await MaturityAsync(cancellationToken);

        return new DashboardFigures(
            now,
            new Share(tier1InDate, tier1),
            new Share(closed.Count(c => c.ClosedAt <= c.Due), closed.Count),
            [.. Enum.GetValues<NonconformityGrade>().Select(g => new GradeCount(g, openFindings.Where(f => f.Grade == g).Sum(f => f.Count)))],
            [.. Clauses.Append(OtherClause).Select(c => new ClauseCount(c, openFindings.Where(f => MainClause(f.Clause) == c).Sum(f => f.Count)))],
            closed.Count == 0 ? null : Math.Round((decimal)closed.Average(c => (c.ClosedAt - c.OpenedAt).TotalDays), 1),
            [.. closed.GroupBy(c => c.Grade).OrderBy(g => g.Key).Select(g => new GradeDuration(g.Key, g.Count(), Math.Round((decimal)g.Average(c => (c.ClosedAt - c.OpenedAt).TotalDays), 1)))],
            new Share(questionnaires.Where(q => q.Completed).Sum(q => q.Count), questionnaires.Sum(q => q.Count)),
            new Share(tier1Credentialed, tier1),
            [.. Enum.GetValues<SupplierTier>().Select(t => new TierCount(t, distribution.Where(d => d.Tier == t).Sum(d => d.Count)))],
            [.. Enum.GetValues<RiskRating>().Select(r => new RiskCount(r, distribution.Where(d => d.RiskRating == r).Sum(d => d.Count)))],
            maturity,
            withMaturity);
    }

    /// <summary>The ids of the suppliers whose newest scored assessment puts <paramref name="clause"/> at <paramref name="level"/>.</summary>
    public async Task<IReadOnlyList<Guid>> SuppliersAtMaturityAsync(string clause, int level, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var (supplierId, levels) in await ClauseLevelsAsync(cancellationToken))
        {
            if (levels.TryGetValue(clause, out var l) && l == level)
            {
                ids.Add(supplierId);
            }
        }

        return ids;
    }

    public const string OtherClause = "other";

    /// <summary>"8.1.2" → "8"; a reference that is no clause (a control domain, free text) → "other".</summary>
    public static string MainClause(string? clause)
    {
        var main = clause?.Split('.')[0].Trim();
        return main is not null && Clauses.Contains(main) ? main : OtherClause;
    }

    /// <summary>
    /// The suppliers a dashboard figure counts. Every condition is a correlated EXISTS in the one list query, so a
    /// filtered page costs the same number of queries as an unfiltered one.
    /// </summary>
    public static IQueryable<Supplier> Apply(IQueryable<Supplier> suppliers, SupplierAssureDbContext db, SupplierKpiFilter filter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(suppliers);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var since = now - Window;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        suppliers = filter.Schedule switch
        {
            // In date: an assurance decision whose validity has not run out.
            ScheduleFilter.InDate => suppliers.Where(s => s.ValidUntil != null && s.ValidUntil >= now),
            ScheduleFilter.Lapsed => suppliers.Where(s => s.ValidUntil == null || s.ValidUntil < now),
            _ => suppliers,
        };

        if (filter.Credential is { } credential)
        {
            var programmes = SecurityProgrammes.ToList();
            var valid = db.Credentials.Where(c => programmes.Contains(c.Type) && c.VerificationState == VerificationState.Verified
                && (c.ValidFrom == null || c.ValidFrom <= now) && (c.ValidUntil == null || c.ValidUntil >= now));
            suppliers = credential == CredentialFilter.Valid
                ? suppliers.Where(s => valid.Any(c => c.SupplierId == s.Id))
                : suppliers.Where(s => !valid.Any(c => c.SupplierId == s.Id));
        }

        if (filter.OpenFindingGrade is { } grade)
        {
            suppliers = suppliers.Where(s => db.Set<AssessmentFinding>().Any(f => f.SupplierId == s.Id && f.State == AssessmentFindingState.Open && f.Grade == grade));
        }

        if (filter.OpenFindingClause is { } clause)
        {
            var open = OpenFindingClauses(db);
            if (clause == OtherClause)
            {
                var known = Clauses.ToList();
                suppliers = suppliers.Where(s => open.Any(f => f.SupplierId == s.Id && (f.Clause == null
                    || !(known.Contains(f.Clause) || f.Clause.StartsWith("4.") || f.Clause.StartsWith("5.") || f.Clause.StartsWith("6.")
                        || f.Clause.StartsWith("7.") || f.Clause.StartsWith("8.") || f.Clause.StartsWith("9.") || f.Clause.StartsWith("10.")))));
            }
            else
            {
                var prefix = clause + ".";
                suppliers = suppliers.Where(s => open.Any(f => f.SupplierId == s.Id && f.Clause != null && (f.Clause == clause || f.Clause.StartsWith(prefix))));
            }
        }

        if (filter.CorrectiveActions is { } actions)
        {
            var closed = db.Set<RemediationCase>().Where(r => r.State == RemediationState.Closed && r.ClosedAt != null && r.ClosedAt >= since);
            closed = actions switch
            {
                CorrectiveActionFilter.ClosedOnTime => closed.Where(r => r.ClosedAt <= (r.VerificationDueAt ?? r.ImplementationDueAt)),
                CorrectiveActionFilter.ClosedLate => closed.Where(r => r.ClosedAt > (r.VerificationDueAt ?? r.ImplementationDueAt)),
                _ => closed,
            };
            suppliers = suppliers.Where(s => closed.Any(r => r.SupplierId == s.Id));
        }

        if (filter.Questionnaires is { } questionnaires)
        {
            var judged = JudgeableQuestionnaires(db, since, today);
            suppliers = questionnaires == QuestionnaireFilter.Completed
                ? suppliers.Where(s => judged.Any(a => a.SupplierId == s.Id && a.SubmittedAt != null))
                : suppliers.Where(s => judged.Any(a => a.SupplierId == s.Id && a.SubmittedAt == null));
        }

        // The maturity heat map's cells: the caller resolved them to ids (see SuppliersAtMaturityAsync).
        if (filter.SupplierIds is { } ids)
        {
            suppliers = suppliers.Where(s => ids.Contains(s.Id));
        }

        return suppliers;
    }

    /// <summary>Open findings with the clause they concern: the reference itself, or the clause of the question it names.</summary>
    private static IQueryable<FindingClause> OpenFindingClauses(SupplierAssureDbContext db) =>
        from f in db.Set<AssessmentFinding>().AsNoTracking()
        where f.State == AssessmentFindingState.Open
        join a in db.Assessments.AsNoTracking() on f.AssessmentId equals a.Id
        from q in db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == a.TemplateId && q.Code == f.Reference).DefaultIfEmpty()
        select new FindingClause { SupplierId = f.SupplierId, Grade = f.Grade, Clause = q != null ? q.Clause : f.Reference };

    /// <summary>
    /// Questionnaires issued in the window that can be judged: submitted, or past their due date. One still open
    /// before its due date counts neither way.
    /// </summary>
    private static IQueryable<Assessment> JudgeableQuestionnaires(SupplierAssureDbContext db, DateTimeOffset since, DateOnly today) =>
        db.Assessments.AsNoTracking().Where(a => a.IssuedAt >= since && (a.SubmittedAt != null || a.DueDate < today));

    private async Task<(IReadOnlyList<MaturityCell> Cells, int Suppliers)> MaturityAsync(CancellationToken cancellationToken)
    {
        var levels = await ClauseLevelsAsync(cancellationToken);
        var cells = new List<MaturityCell>();
        foreach (var clause in Clauses)
        {
            for (var level = 1; level <= 5; level++)
            {
                cells.Add(new MaturityCell(clause, level, levels.Count(l => l.Levels.TryGetValue(clause, out var v) && v == level)));
            }
        }

        return (cells, levels.Count);
    }

    // Note: the clause levels live in each assessment's score snapshot (JSON), so they are read from the newest scored
    // assessment of each supplier in one query and parsed here; only the "clauses" part of each snapshot is read.
    private async Task<List<(Guid SupplierId, Dictionary<string, int> Levels)>> ClauseLevelsAsync(CancellationToken cancellationToken)
    {
        var scored = db.Assessments.AsNoTracking().Where(a => a.ScoreResultJson != null && a.ScoredAt != null);
        var newest = await scored
            .Where(a => a.ScoredAt == scored.Where(b => b.SupplierId == a.SupplierId).Max(b => b.ScoredAt))
            .Select(a => new { a.SupplierId, a.ScoreResultJson })
            .ToListAsync(cancellationToken);
        var result = new List<(Guid, Dictionary<string, int>)>(newest.Count);
        foreach (var group in newest.GroupBy(a => a.SupplierId))
        {
            result.Add((group.Key, ReadClauseLevels(group.First().ScoreResultJson!)));
        }

        return result;
    }

    internal static Dictionary<string, int> ReadClauseLevels(string json)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("clauses", out var clauses) && clauses.ValueKind == JsonValueKind.Array)
        {
            foreach (var clause in clauses.EnumerateArray())
            {
                if (clause.TryGetProperty("key", out var key) && clause.TryGetProperty("maturityLevel", out var level) && level.TryGetInt32(out var value))
                {
                    levels[key.GetString() ?? string.Empty] = value;
                }
            }
        }

        return levels;
    }

    private sealed class FindingClause
    {
        public Guid SupplierId { get; init; }
        public NonconformityGrade Grade { get; init; }
        public string? Clause { get; init; }
    }
}
