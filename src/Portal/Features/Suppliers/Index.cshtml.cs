using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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

    // Not model-bound: Razor Pages keeps the page's own path in the route value "page", and binding prefers route values
    // to the query string, so ?page=2 bound nothing and the list stayed on page 1. Read from the query in OnGetAsync.
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
        PageNumber = int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 1;
        Result = await suppliers.PageAsync(Query(), cancellationToken);
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        // The page falls back to CSV for an unknown format (a hand-edited link); the API refuses it with a 400.
        ModelState.Clear();
        var file = await SupplierExport.CreateAsync(suppliers, Query(), SupplierExport.ParseFormat(format) ?? SupplierExportFormat.Csv, clock, cancellationToken);
        return File(file.Content, file.ContentType, file.FileName);
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

    /// <summary>Neutralises a spreadsheet formula at the start of a cell; see <see cref="SupplierExport.SafeCell"/>.</summary>
    public static string SafeCell(string value) => SupplierExport.SafeCell(value);
}
