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

        // Open findings counted per grade and reference in SQL (no join, a few hundred groups), each reference then
        // resolved to its clause in memory: the reference itself, or the clause of the question it names.
        var questionClauses = await QuestionClausesAsync(db, cancellationToken);
        var openFindings = (await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.State == AssessmentFindingState.Open)
            .GroupBy(f => new { f.Grade, f.Reference })
            .Select(g => new { g.Key.Grade, g.Key.Reference, Count = g.Count() })
            .ToListAsync(cancellationToken))
            .Select(f => new { f.Grade, Clause = f.Reference is not null && questionClauses.TryGetValue(f.Reference, out var clause) ? clause : f.Reference, f.Count })
            .ToList();

        // Closed corrective actions per grade, aggregated in SQL over the covering index: how many, how many on time,
        // and the summed days each took (kept on the case when it closes), so no case is read into memory.
        var closed = await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => r.State == RemediationState.Closed && r.ClosedAt != null && r.ClosedAt >= since)
            .GroupBy(r => r.Grade)
            .Select(g => new
            {
                Grade = g.Key,
                Count = g.Count(),
                OnTime = g.Count(r => r.ClosedAt <= (r.VerificationDueAt ?? r.ImplementationDueAt)),
                Timed = g.Count(r => r.DaysToClose != null),
                Days = g.Sum(r => r.DaysToClose ?? 0d),
            })
            .ToListAsync(cancellationToken);
        var timed = closed.Sum(c => c.Timed);

        var questionnaires = await JudgeableQuestionnaires(db, since, today)
            .GroupBy(a => a.SubmittedAt != null)
            .Select(g => new { Completed = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var (maturity, withMaturity) = await MaturityAsync(cancellationToken);

        return new DashboardFigures(
            now,
            new Share(tier1InDate, tier1),
            new Share(closed.Sum(c => c.OnTime), closed.Sum(c => c.Count)),
            [.. Enum.GetValues<NonconformityGrade>().Select(g => new GradeCount(g, openFindings.Where(f => f.Grade == g).Sum(f => f.Count)))],
            [.. Clauses.Append(OtherClause).Select(c => new ClauseCount(c, openFindings.Where(f => MainClause(f.Clause) == c).Sum(f => f.Count)))],
            timed == 0 ? null : Math.Round((decimal)(closed.Sum(c => c.Days) / timed), 1),
            [.. closed.Where(c => c.Timed > 0).OrderBy(c => c.Grade).Select(c => new GradeDuration(c.Grade, c.Count, Math.Round((decimal)(c.Days / c.Timed), 1)))],
            new Share(questionnaires.Where(q => q.Completed).Sum(q => q.Count), questionnaires.Sum(q => q.Count)),
            new Share(tier1Credentialed, tier1),
            [.. Enum.GetValues<SupplierTier>().Select(t => new TierCount(t, distribution.Where(d => d.Tier == t).Sum(d => d.Count)))],
            [.. Enum.GetValues<RiskRating>().Select(r => new RiskCount(r, distribution.Where(d => d.RiskRating == r).Sum(d => d.Count)))],
            maturity,
            withMaturity);
    }

    /// <summary>The ids of the suppliers whose newest scored assessment puts <paramref name="clause"/> at <paramref name="level"/>.</summary>
    public async Task<IReadOnlyList<Guid>> SuppliersAtMaturityAsync(string clause, int level, CancellationToken cancellationToken) =>
        await db.Set<SupplierClauseMaturity>().AsNoTracking()
            .Where(m => m.Clause == clause && m.MaturityLevel == level)
            .Select(m => m.SupplierId)
            .ToListAsync(cancellationToken);

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
            // The programmes as constants (not a parameter list), so the planner sees an IN list it can seek on.
            var valid = db.Credentials.Where(c => (c.Type == CredentialType.EuAeo || c.Type == CredentialType.CTpat || c.Type == CredentialType.TapaFsr || c.Type == CredentialType.TapaTsr)
                && c.VerificationState == VerificationState.Verified
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
            // Same definition as the figure: a reference that is a question code counts for that question's clause,
            // any other reference for itself. The question codes are uncorrelated subqueries (computed once), so each
            // supplier costs an index look-up of its open findings, with no join.
            var open = db.Set<AssessmentFinding>().Where(f => f.State == AssessmentFindingState.Open);
            var codes = db.TemplateQuestions.Select(q => q.Code);
            if (clause == OtherClause)
            {
                var otherCodes = db.TemplateQuestions.Where(q => q.Clause == null || !(q.Clause == "4" || q.Clause == "5" || q.Clause == "6" || q.Clause == "7"
                    || q.Clause == "8" || q.Clause == "9" || q.Clause == "10" || q.Clause.StartsWith("4.") || q.Clause.StartsWith("5.") || q.Clause.StartsWith("6.")
                    || q.Clause.StartsWith("7.") || q.Clause.StartsWith("8.") || q.Clause.StartsWith("9.") || q.Clause.StartsWith("10."))).Select(q => q.Code);
                suppliers = suppliers.Where(s => open.Any(f => f.SupplierId == s.Id && (f.Reference == null || otherCodes.Contains(f.Reference)
                    || (!codes.Contains(f.Reference) && !(f.Reference == "4" || f.Reference == "5" || f.Reference == "6" || f.Reference == "7"
                        || f.Reference == "8" || f.Reference == "9" || f.Reference == "10" || f.Reference.StartsWith("4.") || f.Reference.StartsWith("5.")
                        || f.Reference.StartsWith("6.") || f.Reference.StartsWith("7.") || f.Reference.StartsWith("8.") || f.Reference.StartsWith("9.")
                        || f.Reference.StartsWith("10."))))));
            }
            else
            {
                var prefix = clause + ".";
                var clauseCodes = db.TemplateQuestions.Where(q => q.Clause == clause || q.Clause.StartsWith(prefix)).Select(q => q.Code);
                suppliers = suppliers.Where(s => open.Any(f => f.SupplierId == s.Id && f.Reference != null && (clauseCodes.Contains(f.Reference)
                    || (!codes.Contains(f.Reference) && (f.Reference == clause || f.Reference.StartsWith(prefix))))));
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

        // A maturity heat-map cell: the suppliers whose newest scored assessment has that level in that clause.
        if (filter is { MaturityClause: { } maturityClause, MaturityLevel: { } maturityLevel })
        {
            suppliers = suppliers.Where(s => db.Set<SupplierClauseMaturity>().Any(m => m.SupplierId == s.Id && m.Clause == maturityClause && m.MaturityLevel == maturityLevel));
        }

        if (filter.SupplierIds is { } ids)
        {
            suppliers = suppliers.Where(s => ids.Contains(s.Id));
        }

        return suppliers;
    }

    /// <summary>
    /// Question code → clause over the templates (a code keeps its clause across versions of the bank; where versions
    /// disagree, the first template's clause is used). A finding whose reference is a question code concerns that clause.
    /// </summary>
    private static async Task<Dictionary<string, string>> QuestionClausesAsync(SupplierAssureDbContext db, CancellationToken cancellationToken)
    {
        var pairs = await db.TemplateQuestions.AsNoTracking()
            .Select(q => new { q.Code, q.Clause })
            .Distinct()
            .ToListAsync(cancellationToken);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs.Where(p => p.Clause is not null).OrderBy(p => p.Code, StringComparer.Ordinal).ThenBy(p => p.Clause, StringComparer.Ordinal))
        {
            map.TryAdd(pair.Code, pair.Clause!);
        }

        return map;
    }

    /// <summary>
    /// Questionnaires issued in the window that can be judged: submitted, or past their due date. One still open
    /// before its due date counts neither way.
    /// </summary>
    private static IQueryable<Assessment> JudgeableQuestionnaires(SupplierAssureDbContext db, DateTimeOffset since, DateOnly today) =>
        db.Assessments.AsNoTracking().Where(a => a.IssuedAt >= since && (a.SubmittedAt != null || a.DueDate < today));

    /// <summary>
    /// The heat map: suppliers per clause and maturity level, from the clause levels kept for each supplier's newest
    /// scored assessment (<see cref="SupplierClauseMaturity"/>), in one aggregate query; plus how many suppliers have any.
    /// </summary>
    private async Task<(IReadOnlyList<MaturityCell> Cells, int Suppliers)> MaturityAsync(CancellationToken cancellationToken)
    {
        var levels = db.Set<SupplierClauseMaturity>().AsNoTracking();
        var counts = await levels
            .GroupBy(m => new { m.Clause, m.MaturityLevel })
            .Select(g => new { g.Key.Clause, g.Key.MaturityLevel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var withLevels = await levels.Select(m => m.SupplierId).Distinct().CountAsync(cancellationToken);
        var cells = new List<MaturityCell>();
        foreach (var clause in Clauses)
        {
            for (var level = 1; level <= 5; level++)
            {
                cells.Add(new MaturityCell(clause, level, counts.Where(c => c.Clause == clause && c.MaturityLevel == level).Sum(c => c.Count)));
            }
        }

        return (cells, withLevels);
    }
}
