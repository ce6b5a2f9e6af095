using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.PartnerClients;

/// <summary>Partner organisations and their machine clients, with last use; operator administrators add organisations here.</summary>
[Authorize(Policy = PartnerClientsFeatureExtensions.OperatorAdministratorPolicy)]
public sealed class IndexModel(SupplierAssureDbContext db, PartnerClientRegistry registry, IOpenIddictApplicationManager applications) : PageModel
{
    public sealed record ClientRow(PartnerClient Client, IReadOnlyList<string> Scopes);

    public sealed record OrganisationRow(PartnerOrganisation Organisation, IReadOnlyList<ClientRow> Clients);

    public IReadOnlyList<OrganisationRow> Organisations { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (organisation, errors) = await registry.CreateOrganisationAsync(Name, ContactEmail, cancellationToken);
        if (organisation is null)
        {
            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError(field, message);
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        Notice = $"Partner organisation {organisation.Name} created. Add its first client below.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var organisations = await db.PartnerOrganisations.AsNoTracking().Include(o => o.Clients)
            .OrderBy(o => o.Name).ToListAsync(cancellationToken);
        var rows = new List<OrganisationRow>(organisations.Count);
        foreach (var organisation in organisations)
        {
            var clients = new List<ClientRow>();
            foreach (var client in organisation.Clients.OrderBy(c => c.DisplayName, StringComparer.CurrentCulture))
            {
                clients.Add(new ClientRow(client, await ScopesAsync(applications, client.ClientId, cancellationToken)));
            }

            rows.Add(new OrganisationRow(organisation, clients));
        }

        Organisations = rows;
    }

    /// <summary>The partner operation scopes OpenIddict lets <paramref name="clientId"/> request.</summary>
    internal static async Task<IReadOnlyList<string>> ScopesAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null)
        {
            return [];
        }

        var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
        return [.. permissions
            .Where(p => p.StartsWith(OpenIddictConstants.Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[OpenIddictConstants.Permissions.Prefixes.Scope.Length..])
            .Order(StringComparer.Ordinal)];
    }
}
