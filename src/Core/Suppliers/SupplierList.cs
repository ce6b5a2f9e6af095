using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Suppliers;

public enum SupplierSort
{
    Name,
    NameDescending,
    Score,
    ScoreDescending,
    LastAssessed,
    LastAssessedDescending,
    Risk,
    RiskDescending,
}

/// <summary>The procurement portfolio filters. Every field is optional; out-of-range values fall back to defaults.</summary>
public sealed record SupplierListQuery(
    string? Search = null,
    SupplierTier? Tier = null,
    AssuranceStatus? Status = null,
    RiskRating? Risk = null,
    string? Country = null,
    bool OverdueOnly = false,
    SupplierSort Sort = SupplierSort.Name,
    int Page = 1,
    int PageSize = SupplierList.DefaultPageSize,
    Kpis.SupplierKpiFilter? Kpi = null);

public sealed record SupplierListRow(
    Guid Id,
    string LegalName,
    string CountryCode,
    string? Lei,
    SupplierTier Tier,
    AssuranceStatus AssuranceStatus,
    decimal? OverallScore,
    RiskRating RiskRating,
    DateTimeOffset? LastAssessedAt,
    bool HasOverdueAssessment);

public sealed record SupplierListPage(IReadOnlyList<SupplierListRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// Searches the supplier portfolio in one query (plus one count), through the tenant-scoped context, so a supplier
/// user who somehow reached it would see only their own organisation.
/// </summary>
public sealed class SupplierList(SupplierAssureDbContext db, TimeProvider clock)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;
    public const int MaxExportRows = 50_000;

    public async Task<SupplierListPage> PageAsync(SupplierListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = query.PageSize is > 0 and <= MaxPageSize ? query.PageSize : DefaultPageSize;
        var filtered = Filter(query);
        var total = await filtered.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        var page = Math.Clamp(query.Page, 1, pageCount);
        var rows = await Project(Sort(filtered, query.Sort)).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new SupplierListPage(rows, total, page, size);
    }

    /// <summary>One supplier as a list row, or null when it does not exist or the caller may not see it.</summary>
    public async Task<SupplierListRow?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Project(db.Suppliers.AsNoTracking().Where(s => s.Id == id)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>All matching rows for export, capped so one request cannot pull an unbounded table into memory.</summary>
    public async Task<IReadOnlyList<SupplierListRow>> ExportAsync(SupplierListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await Project(Sort(Filter(query), query.Sort)).Take(MaxExportRows).ToListAsync(cancellationToken);
    }

    private IQueryable<Supplier> Filter(SupplierListQuery query)
    {
        var suppliers = db.Suppliers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var upper = term.ToUpperInvariant();
            // Name contains the term; identifiers match exactly (they are stored normalised, upper case).
            suppliers = suppliers.Where(s => s.LegalName.Contains(term) || s.Lei == upper || s.Duns == term || s.Eori == upper || s.Vat == upper);
        }

        if (query.Tier is { } tier)
        {
            suppliers = suppliers.Where(s => s.Tier == tier);
        }

        if (query.Status is { } status)
        {
            suppliers = suppliers.Where(s => s.AssuranceStatus == status);
        }

        if (query.Risk is { } risk)
        {
            suppliers = suppliers.Where(s => s.RiskRating == risk);
        }

        if (!string.IsNullOrWhiteSpace(query.Country))
        {
            var country = query.Country.Trim().ToUpperInvariant();
            suppliers = suppliers.Where(s => s.CountryCode == country);
        }

        if (query.OverdueOnly)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            suppliers = suppliers.Where(s => db.Assessments.Any(a => a.SupplierId == s.Id && a.DueDate < today
                && (a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress)));
        }

        if (query.Kpi is { IsEmpty: false } kpi)
        {
            suppliers = Kpis.ProcurementKpis.Apply(suppliers, db, kpi, clock.GetUtcNow());
        }

        return suppliers;
    }

    private static IOrderedQueryable<Supplier> Sort(IQueryable<Supplier> suppliers, SupplierSort sort) => sort switch
    {
        SupplierSort.NameDescending => suppliers.OrderByDescending(s => s.LegalName).ThenBy(s => s.Id),
        SupplierSort.Score => suppliers.OrderBy(s => s.OverallScore == null).ThenBy(s => s.OverallScore).ThenBy(s => s.LegalName),
        SupplierSort.ScoreDescending => suppliers.OrderBy(s => s.OverallScore == null).ThenByDescending(s => s.OverallScore).ThenBy(s => s.LegalName),
        SupplierSort.LastAssessed => suppliers.OrderBy(s => s.LastAssessedAt == null).ThenBy(s => s.LastAssessedAt).ThenBy(s => s.LegalName),
        SupplierSort.LastAssessedDescending => suppliers.OrderBy(s => s.LastAssessedAt == null).ThenByDescending(s => s.LastAssessedAt).ThenBy(s => s.LegalName),
        // Risk is stored as its name; order by severity, not alphabetically.
        SupplierSort.Risk => suppliers.OrderBy(s => s.RiskRating == RiskRating.Critical ? 4 : s.RiskRating == RiskRating.High ? 3 : s.RiskRating == RiskRating.Medium ? 2 : s.RiskRating == RiskRating.Low ? 1 : 0).ThenBy(s => s.LegalName),
        SupplierSort.RiskDescending => suppliers.OrderByDescending(s => s.RiskRating == RiskRating.Critical ? 4 : s.RiskRating == RiskRating.High ? 3 : s.RiskRating == RiskRating.Medium ? 2 : s.RiskRating == RiskRating.Low ? 1 : 0).ThenBy(s => s.LegalName),
        _ => suppliers.OrderBy(s => s.LegalName).ThenBy(s => s.Id),
    };

    private IQueryable<SupplierListRow> Project(IQueryable<Supplier> suppliers)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return suppliers.Select(s => new SupplierListRow(
            s.Id,
            s.LegalName,
            s.CountryCode,
            s.Lei,
            s.Tier,
            s.AssuranceStatus,
            s.OverallScore,
            s.RiskRating,
            s.LastAssessedAt,
            db.Assessments.Any(a => a.SupplierId == s.Id && a.DueDate < today
                && (a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress))));
    }
}
