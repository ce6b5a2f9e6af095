using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.PartnerClients;

/// <summary>One partner client: last use, rotate its secret (shown once) or replace its public key, disable or enable it.</summary>
[Authorize(Policy = PartnerClientsFeatureExtensions.OperatorAdministratorPolicy)]
public sealed class ClientModel(SupplierAssureDbContext db, PartnerClientRegistry registry, IOpenIddictApplicationManager applications) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string ClientId { get; set; } = string.Empty;

    [BindProperty]
    public string? PublicJwk { get; set; }

    public PartnerClient? Client { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>Set only on the answer to a successful rotation.</summary>
    public string? NewSecret { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var result = await registry.RotateSecretAsync(ClientId, cancellationToken);
        if (ShowErrors(result.Errors))
        {
            return Page();
        }

        // Note: as at creation, the new secret is only in this uncached response.
        Response.Headers.CacheControl = "no-store";
        NewSecret = result.Secret;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReplaceKeyAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (ShowErrors(await registry.ReplaceKeyAsync(ClientId, PublicJwk, cancellationToken)))
        {
            return Page();
        }

        Notice = "The public key was replaced; assertions signed with the previous key are refused from now on.";
        return RedirectToPage(new { clientId = ClientId });
    }

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) => SetDisabledAsync(true, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) => SetDisabledAsync(false, cancellationToken);

    private async Task<IActionResult> SetDisabledAsync(bool disabled, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (ShowErrors(await registry.SetDisabledAsync(ClientId, disabled, cancellationToken)))
        {
            return Page();
        }

        Notice = disabled
            ? "The client is disabled: the token endpoint refuses it. Tokens it already holds lapse within 15 minutes."
            : "The client is enabled again.";
        return RedirectToPage(new { clientId = ClientId });
    }

    private bool ShowErrors(RegistryErrors errors)
    {
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError(field == "ClientId" ? string.Empty : field, message);
        }

        return errors.Any;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Client = await db.PartnerClients.AsNoTracking().Include(c => c.PartnerOrganisation)
            .SingleOrDefaultAsync(c => c.ClientId == ClientId, cancellationToken);
        if (Client is null)
        {
            return false;
        }

        Scopes = await IndexModel.ScopesAsync(applications, ClientId, cancellationToken);
        return true;
    }
}
