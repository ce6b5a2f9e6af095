using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
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
