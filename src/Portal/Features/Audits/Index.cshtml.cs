using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>An audit in a list.</summary>
public sealed record AuditRow(Guid Id, string SupplierName, AuditType Type, AuditState State, DateTimeOffset? VisitStart, DateTimeOffset? VisitEnd, string Lead);

/// <summary>
/// Staff: the audit programme (who is due for which audit, filterable by kind and by "due now") and every audit.
/// Supplier users: their own organisation's audits, and the way to their blackout days.
/// </summary>
[Authorize]
public sealed class IndexModel(SupplierAssureDbContext db, AuditProgrammeQuery programme, TimeProvider clock) : PageModel
{
    public IReadOnlyList<ProgrammeRow> Programme { get; private set; } = [];
    public IReadOnlyList<AuditRow> Audits { get; private set; } = [];
    public bool IsSupplierUser { get; private set; }
    public bool CanAudit { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)]
    public AuditType? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool DueOnly { get; set; }

    /// <summary>True for the programme as a CSV file (with the same filters) instead of the page.</summary>
    [BindProperty(SupportsGet = true, Name = "csv")]
    public bool Export { get; set; }

    /// <summary>The filtered programme as CSV; names that a spreadsheet would run as formulas are defused.</summary>
    private async Task<IActionResult> ExportAsync(CancellationToken cancellationToken)
    {
        var rows = (await programme.LoadAsync(cancellationToken))
            .Where(r => Type is null || r.SuggestedType == Type)
            .Where(r => !DueOnly || r.IsDue(Today))
            .Select(r => new Dictionary<string, object?>
            {
                ["Supplier"] = Suppliers.IndexModel.SafeCell(r.SupplierName),
                ["Tier"] = Display.Tier(r.Tier),
                ["Score"] = r.OverallScore,
                ["Risk"] = r.RiskRating.ToString(),
                ["Audit"] = VisitInviteBuilder.Describe(r.SuggestedType),
                ["Due"] = r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Due now"] = r.IsDue(Today) ? "yes" : "no",
                ["Why"] = Suppliers.IndexModel.SafeCell(r.Reason),
                ["Last audit"] = r.LastAuditOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Open audit"] = r.OpenAuditState is { } state ? AuditDisplay.State(state) : null,
            }).ToList();
        var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, excelType: ExcelType.CSV, cancellationToken: cancellationToken);
        stream.Position = 0;
        return File(stream, "text/csv; charset=utf-8", $"audit-programme-{Today:yyyyMMdd}.csv");
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        IsSupplierUser = AuditAccess.IsSupplierUser(User);
        if (!IsSupplierUser)
        {
            if (!AuditAccess.IsStaff(User))
            {
                return NotFound();
            }

            if (!AuditAccess.CanView(User))
            {
                return Forbid();
            }
        }

        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        CanAudit = AuditAccess.CanAudit(User);
        if (Export && !IsSupplierUser)
        {
            return await ExportAsync(cancellationToken);
        }

        if (!IsSupplierUser)
        {
            Programme = [.. (await programme.LoadAsync(cancellationToken))
                .Where(r => Type is null || r.SuggestedType == Type)
                .Where(r => !DueOnly || r.IsDue(Today))];
        }

        // The tenant filter limits a supplier user to their own organisation's audits.
        Audits = await (from a in db.Set<SupplierAudit>().AsNoTracking()
                        join s in db.Suppliers on a.SupplierId equals s.Id
                        join u in db.Users on a.LeadAuditorId equals u.Id
                        orderby a.State == AuditState.Completed, a.VisitStart ?? a.CreatedAt descending
                        select new AuditRow(a.Id, s.LegalName, a.Type, a.State, a.VisitStart, a.VisitEnd, u.DisplayName))
            .Take(500)
            .ToListAsync(cancellationToken);
        return Page();
    }
}
