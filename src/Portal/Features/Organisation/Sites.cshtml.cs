using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Features.Suppliers;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Organisation;

/// <summary>
/// The supplier's own sites: every user of the organisation sees them and keeps them current (add, change, retire),
/// with the same rules as procurement's page. /Organisation/Sites lists them with a form to add one;
/// /Organisation/Sites/{siteId} opens one for changing. Another organisation's site id is not found (the tenant
/// filter hides it); operator staff are refused (they use the supplier page).
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class SitesModel(SupplierSites sites) : PageModel
{
    public IReadOnlyList<SupplierSiteRow> Sites { get; private set; } = [];

    /// <summary>The site opened for changing; null on the list with the add form.</summary>
    public SupplierSiteRow? Existing { get; private set; }

    [BindProperty]
    public SiteForm Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid? siteId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(siteId, cancellationToken))
        {
            return NotFound();
        }

        Input = Existing is null ? new SiteForm() : SiteForm.From(Existing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? siteId, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var outcome = siteId is { } existing
            ? await sites.UpdateAsync(SupplierId, existing, Input.Version, Input.ToInput(), SiteForm.ActorOf(User), cancellationToken)
            : await sites.AddAsync(SupplierId, Input.ToInput(), SiteForm.ActorOf(User), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound || !await LoadAsync(siteId, cancellationToken))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            SiteForm.AddErrors(ModelState, outcome);
            if (outcome.Status == OutcomeStatus.Conflict && Existing is { IsRetired: false })
            {
                Input = SiteForm.From(Existing);
            }

            return Page();
        }

        Notice = siteId is null ? $"Site \"{outcome.Value!.Name}\" added." : $"Site \"{outcome.Value!.Name}\" saved.";
        return Redirect("/Organisation/Sites");
    }

    public async Task<IActionResult> OnPostRetireAsync(Guid siteId, CancellationToken cancellationToken)
    {
        var outcome = await sites.RetireAsync(SupplierId, siteId, SiteForm.ActorOf(User), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound || !await LoadAsync(siteId, cancellationToken))
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

        Notice = $"Site \"{outcome.Value!.Name}\" retired.";
        return Redirect("/Organisation/Sites");
    }

    private Guid SupplierId => Guid.Parse(User.FindFirstValue(PortalClaims.SupplierId)!);

    private async Task<bool> LoadAsync(Guid? siteId, CancellationToken cancellationToken)
    {
        Sites = await sites.ListAsync(SupplierId, cancellationToken);
        if (siteId is { } id)
        {
            Existing = Sites.FirstOrDefault(s => s.Id == id) ?? await sites.FindAsync(SupplierId, id, cancellationToken);
            return Existing is not null;
        }

        return true;
    }
}
