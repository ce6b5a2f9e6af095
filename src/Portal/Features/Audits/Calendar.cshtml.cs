using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>A confirmed visit in the calendar.</summary>
public sealed record VisitRow(Guid AuditId, string SupplierName, AuditType Type, DateTimeOffset Start, DateTimeOffset End, string Auditors);

/// <summary>
/// The auditor calendar: one week (Monday to Sunday, UTC) of confirmed visits and the next visits after it. An
/// auditor sees the visits they are assigned to; administrators and procurement see every auditor's.
/// </summary>
[Authorize]
public sealed class CalendarModel(SupplierAssureDbContext db, TimeProvider clock) : PageModel
{
    public DateOnly WeekStart { get; private set; }
    public IReadOnlyList<VisitRow> Week { get; private set; } = [];
    public IReadOnlyList<VisitRow> Upcoming { get; private set; } = [];
    public bool ShowsEveryone { get; private set; }


    public async Task<IActionResult> OnGetAsync(DateOnly? week, CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        if (!AuditAccess.CanView(User))
        {
            return Forbid();
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var day = week ?? today;
        WeekStart = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        ShowsEveryone = User.IsInRole(Roles.Administrator) || User.IsInRole(Roles.ProcurementManager);
        var from = new DateTimeOffset(WeekStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(7);
        var userId = AuditAccess.UserId(User);
        var visits = db.Set<SupplierAudit>().AsNoTracking().Where(a => a.VisitStart != null && a.VisitEnd != null);
        if (!ShowsEveryone)
        {
            visits = visits.Where(a => db.Set<AuditTeamMember>().Any(m => m.AuditId == a.Id && m.UserId == userId && m.Declaration == IndependenceDeclaration.Independent));
        }

        Week = await RowsAsync(visits.Where(a => a.VisitStart < to && a.VisitEnd > from), 200, cancellationToken);
        Upcoming = await RowsAsync(visits.Where(a => a.VisitStart >= to), 20, cancellationToken);
        return Page();
    }

    public string DayLabel(int offset) => WeekStart.AddDays(offset).ToString("ddd d MMM", CultureInfo.InvariantCulture);

    public IEnumerable<VisitRow> On(int offset)
    {
        var day = WeekStart.AddDays(offset);
        return Week.Where(v => DateOnly.FromDateTime(v.Start.UtcDateTime) <= day && DateOnly.FromDateTime(v.End.UtcDateTime.AddTicks(-1)) >= day);
    }

    private async Task<IReadOnlyList<VisitRow>> RowsAsync(IQueryable<SupplierAudit> audits, int take, CancellationToken cancellationToken)
    {
        var rows = await (from a in audits
                          join s in db.Suppliers on a.SupplierId equals s.Id
                          orderby a.VisitStart
                          select new { a.Id, s.LegalName, a.Type, Start = a.VisitStart!.Value, End = a.VisitEnd!.Value })
            .Take(take).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var names = (await (from m in db.Set<AuditTeamMember>().AsNoTracking()
                            join u in db.Users on m.UserId equals u.Id
                            where ids.Contains(m.AuditId) && m.Declaration == IndependenceDeclaration.Independent
                            select new { m.AuditId, u.DisplayName }).ToListAsync(cancellationToken))
            .ToLookup(x => x.AuditId, x => x.DisplayName);
        return [.. rows.Select(r => new VisitRow(r.Id, r.LegalName, r.Type, r.Start, r.End, string.Join(", ", names[r.Id])))];
    }
}
