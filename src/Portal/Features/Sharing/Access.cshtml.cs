using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Sharing;

/// <summary>
/// What partner systems read about this organisation and when, from the gateway's access log, newest first, with
/// filters by partner, operation and period. A GET form, so every view is a link; unusable filter values are
/// reported beside the field and ignored.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy, Roles = Roles.SupplierAdmin)]
public sealed class AccessModel(SupplierAssureDbContext db, PartnerDirectory directory) : PageModel
{
    /// <summary>The gateway operations that read a supplier's data, as the log names them.</summary>
    public static readonly IReadOnlyList<(string Operation, string Label)> Operations =
    [
        ("GetSecurityStatus", "Status look-up"),
        ("BatchGetSecurityStatus", "Status look-up (batch)"),
        ("WatchSecurityStatus", "Status change (stream)"),
        ("ListCredentials", "Credential list"),
    ];

    [BindProperty(SupportsGet = true)]
    public string? Partner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Operation { get; set; }

    /// <summary>First day (UTC, yyyy-MM-dd) of the period shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Last day (UTC, yyyy-MM-dd) of the period shown, inclusive.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    // Not model-bound: Razor Pages keeps the page's own path in the route value "page", which binding prefers to the
    // query string, so ?page=2 bound nothing and "Older" showed page 1 again. Read from the query in OnGetAsync.
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<PartnerSystem> Partners { get; private set; } = [];

    public PartnerAccessPage Result { get; private set; } = new([], 0, 1, PartnerAccessQuery.DefaultPageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        PageNumber = int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 1;
        Partners = await directory.ListAsync(cancellationToken);
        var from = ParseDay(From, nameof(From));
        var to = ParseDay(To, nameof(To))?.AddDays(1);
        if (from is not null && to is not null && to <= from)
        {
            ModelState.AddModelError(nameof(To), "The last day must not be before the first day.");
            to = null;
        }

        var operation = Operations.Any(o => o.Operation == Operation) ? Operation : null;
        // The tenant-scoped context: only this organisation's entries, whatever the filters say.
        Result = await PartnerAccessLogQueries.PageAsync(db, new PartnerAccessQuery(Partner, operation, from, to, PageNumber), cancellationToken);
    }

    public string PartnerName(string clientId) => PartnerDirectory.NameOf(Partners, clientId);

    public static string OperationLabel(string operation) => Operations.FirstOrDefault(o => o.Operation == operation).Label ?? operation;

    /// <summary>The link to another page of the same filtered view.</summary>
    public string PageLink(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["Partner"] = Partner,
        ["Operation"] = Operation,
        ["From"] = From,
        ["To"] = To,
        ["page"] = page.ToString(CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    private DateTimeOffset? ParseDay(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        ModelState.AddModelError(field, "Enter a date as yyyy-mm-dd; this filter was ignored.");
        return null;
    }
}
