using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// Procurement adds a site to a supplier (no site id) or changes or retires one (/Suppliers/{id}/Sites/{siteId}).
/// The rules are <see cref="SiteRules"/>'; each change reaches the supplier's timeline through the audit log.
/// </summary>
// Note: the same refusal as the other procurement pages of a supplier: anyone who is not operator staff gets 404 (no
// hint that the supplier exists), staff without procurement rights 403.
[Authorize]
public sealed class SiteModel(SupplierAssureDbContext db, SupplierSites sites) : PageModel
{
    public Guid SupplierId { get; private set; }

    public string SupplierName { get; private set; } = string.Empty;

    /// <summary>The site being changed, as stored; null when adding one.</summary>
    public SupplierSiteRow? Existing { get; private set; }

    [BindProperty]
    public SiteForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? siteId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(id, siteId, cancellationToken))
        {
            return NotFound();
        }

        Input = Existing is null ? new SiteForm { Country = await SupplierCountryAsync(id, cancellationToken) } : SiteForm.From(Existing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? siteId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        // Every field is text and checked by SiteRules, which words the messages; the binder has nothing to add.
        ModelState.Clear();
        var outcome = siteId is { } existing
            ? await sites.UpdateAsync(id, existing, Input.Version, Input.ToInput(), SiteForm.ActorOf(User), cancellationToken)
            : await sites.AddAsync(id, Input.ToInput(), SiteForm.ActorOf(User), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound || !await LoadAsync(id, siteId, cancellationToken))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            SiteForm.AddErrors(ModelState, outcome);
            if (outcome.Status == OutcomeStatus.Conflict && Existing is { IsRetired: false })
            {
                // Someone saved the site meanwhile: show what is stored now, with its version, so the next save is theirs plus ours.
                Input = SiteForm.From(Existing);
            }

            return Page();
        }

        TempData["Message"] = siteId is null ? $"Site \"{outcome.Value!.Name}\" added." : $"Site \"{outcome.Value!.Name}\" saved.";
        return Redirect($"/Suppliers/{id:D}#sites-heading");
    }

    public async Task<IActionResult> OnPostRetireAsync(Guid id, Guid siteId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        var outcome = await sites.RetireAsync(id, siteId, SiteForm.ActorOf(User), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound || !await LoadAsync(id, siteId, cancellationToken))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.Clear();
            SiteForm.AddErrors(ModelState, outcome);
            Input = SiteForm.From(Existing!);
            return Page();
        }

        TempData["Message"] = $"Site \"{outcome.Value!.Name}\" retired; it stays on record for the audits that named it.";
        return Redirect($"/Suppliers/{id:D}#sites-heading");
    }

    private async Task<bool> LoadAsync(Guid id, Guid? siteId, CancellationToken cancellationToken)
    {
        SupplierId = id;
        var name = await db.Suppliers.AsNoTracking().Where(s => s.Id == id).Select(s => s.LegalName).SingleOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return false;
        }

        SupplierName = name;
        if (siteId is { } existing)
        {
            Existing = await sites.FindAsync(id, existing, cancellationToken);
            return Existing is not null;
        }

        return true;
    }

    private Task<string?> SupplierCountryAsync(Guid id, CancellationToken cancellationToken) =>
        db.Suppliers.AsNoTracking().Where(s => s.Id == id).Select(s => s.CountryCode).SingleOrDefaultAsync(cancellationToken);
}
