using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// A supplier's days without audits (shutdowns, peak season): its admins and contributors list, add and remove
/// them; proposals and acceptances that touch one are refused. Not a page for operator staff (404).
/// </summary>
[Authorize]
public sealed class BlackoutsModel(SupplierAssureDbContext db, SchedulingHandler scheduling) : PageModel
{
    public IReadOnlyList<SupplierBlackout> Blackouts { get; private set; } = [];

    [BindProperty]
    public DateOnly? From { get; set; }

    [BindProperty]
    public DateOnly? To { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsSupplierUser(User))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsSupplierUser(User))
        {
            return NotFound();
        }

        var actor = AuditAccess.Actor(User);
        var outcome = await scheduling.AddBlackoutAsync(new AddBlackoutRequest(actor.SupplierId!.Value, actor.UserId, From, To, Reason), cancellationToken);
        if (outcome.Succeeded)
        {
            Message = "Saved: audits will not be scheduled on those days.";
            return RedirectToPage();
        }

        ModelState.AddOutcomeErrors(outcome);

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid blackoutId, CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsSupplierUser(User))
        {
            return NotFound();
        }

        // The tenant filter limits the delete to this organisation's rows; another's id deletes nothing (404).
        var outcome = await scheduling.RemoveBlackoutAsync(blackoutId, cancellationToken);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }

        Message = "Removed.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Blackouts = await db.Set<SupplierBlackout>().AsNoTracking().OrderBy(b => b.From).ToListAsync(cancellationToken);
}
