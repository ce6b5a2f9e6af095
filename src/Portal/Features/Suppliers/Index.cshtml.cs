using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MiniExcelLibs;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// The procurement portfolio: search, filter, sort, page, and export the filtered list. A GET form, so every view
/// is a link that can be shared or bookmarked; unknown filter values are ignored rather than failing.
/// </summary>
[Authorize(Policy = IdentityExtensions.OperatorStaffPolicy)]
public sealed class IndexModel(SupplierList suppliers, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public SupplierTier? Tier { get; set; }

    [BindProperty(SupportsGet = true)]
    public AssuranceStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public RiskRating? Risk { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public SupplierSort Sort { get; set; } = SupplierSort.Name;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    // The dashboard's filters: each figure there links here with the one that selects its suppliers.
    [BindProperty(SupportsGet = true, Name = "schedule")]
    public SupplierAssure.Core.Kpis.ScheduleFilter? Schedule { get; set; }

    [BindProperty(SupportsGet = true, Name = "credential")]
    public SupplierAssure.Core.Kpis.CredentialFilter? Credential { get; set; }

    [BindProperty(SupportsGet = true, Name = "finding")]
    public SupplierAssure.Core.Findings.NonconformityGrade? FindingGrade { get; set; }

    [BindProperty(SupportsGet = true, Name = "fclause")]
    public string? FindingClause { get; set; }

    [BindProperty(SupportsGet = true, Name = "actions")]
    public SupplierAssure.Core.Kpis.CorrectiveActionFilter? Actions { get; set; }

    [BindProperty(SupportsGet = true, Name = "questionnaire")]
    public SupplierAssure.Core.Kpis.QuestionnaireFilter? Questionnaire { get; set; }

    [BindProperty(SupportsGet = true, Name = "mclause")]
    public string? MaturityClause { get; set; }

    [BindProperty(SupportsGet = true, Name = "mlevel")]
    public int? MaturityLevel { get; set; }

    public SupplierListPage Result { get; private set; } = new([], 0, 1, SupplierList.DefaultPageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Model binding turns an unknown enum text into a model error and a null value; the list then simply ignores
        // that filter, which is what someone editing a URL by hand expects.
        ModelState.Clear();
        Result = await suppliers.PageAsync(Query(), cancellationToken);
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        var excelType = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase) ? ExcelType.XLSX : ExcelType.CSV;
        ModelState.Clear();
        var rows = await suppliers.ExportAsync(Query(), cancellationToken);
        var table = rows.Select(r => new Dictionary<string, object?>
        {
            ["Supplier"] = SafeCell(r.LegalName),
            ["Country"] = r.CountryCode,
            ["LEI"] = r.Lei,
            ["Tier"] = Display.Tier(r.Tier),
            ["Assurance"] = Display.Status(r.AssuranceStatus),
            ["Score"] = r.OverallScore,
            ["Risk"] = r.RiskRating.ToString(),
            ["Last assessed (UTC)"] = r.LastAssessedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Overdue"] = r.HasOverdueAssessment ? "yes" : "no",
        }).ToList();

        var stream = new MemoryStream();
        await stream.SaveAsAsync(table, excelType: excelType, cancellationToken: cancellationToken);
        stream.Position = 0;
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return excelType == ExcelType.XLSX
            ? File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"suppliers-{stamp}.xlsx")
            : File(stream, "text/csv; charset=utf-8", $"suppliers-{stamp}.csv");
    }

    /// <summary>The current filters with one value changed, for sort and paging links.</summary>
    public IDictionary<string, string?> RouteWith(string key, string? value)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["q"] = Search,
            ["tier"] = Tier?.ToString(),
            ["status"] = Status?.ToString(),
            ["risk"] = Risk?.ToString(),
            ["country"] = Country,
            ["overdue"] = Overdue ? "true" : null,
            ["sort"] = Sort == SupplierSort.Name ? null : Sort.ToString(),
            ["page"] = PageNumber > 1 ? PageNumber.ToString(CultureInfo.InvariantCulture) : null,
            ["schedule"] = Schedule?.ToString(),
            ["credential"] = Credential?.ToString(),
            ["finding"] = FindingGrade?.ToString(),
            ["fclause"] = FindingClause,
            ["actions"] = Actions?.ToString(),
            ["questionnaire"] = Questionnaire?.ToString(),
            ["mclause"] = MaturityClause,
            ["mlevel"] = MaturityLevel?.ToString(CultureInfo.InvariantCulture),
        };
        values[key] = value;
        if (key != "page")
        {
            values["page"] = null;
        }

        return values.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>The dashboard filter in force, if any (the page names it so people know why the list is short).</summary>
    public SupplierAssure.Core.Kpis.SupplierKpiFilter Kpi => new(Schedule, Credential, FindingGrade,
        string.IsNullOrWhiteSpace(FindingClause) ? null : FindingClause.Trim(), Actions, Questionnaire,
        HeatMapCell ? MaturityClause : null,
        HeatMapCell ? MaturityLevel : null);

    private bool HeatMapCell => MaturityLevel is >= 1 and <= 5 && MaturityClause is { } c && SupplierAssure.Core.Kpis.ProcurementKpis.Clauses.Contains(c);

    // A heat-map cell (mclause + mlevel) is applied in SQL by ProcurementKpis.Apply, like every other dashboard filter.
    private SupplierListQuery Query() => new(Search, Tier, Status, Risk, Country, Overdue, Sort, PageNumber, Kpi: Kpi);

    /// <summary>
    /// Spreadsheet programs run a cell that starts with = + - @ as a formula; a supplier's own name must never do
    /// that on a procurement analyst's machine (CSV injection), so such text is prefixed with an apostrophe.
    /// </summary>
    public static string SafeCell(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
