using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.PartnerClients;

/// <summary>
/// Registers a partner client: its operations, and either a generated secret (shown on the answer to this post
/// and never again) or the partner's public key for private_key_jwt.
/// </summary>
[Authorize(Policy = PartnerClientsFeatureExtensions.OperatorAdministratorPolicy)]
public sealed class CreateModel(SupplierAssureDbContext db, PartnerClientRegistry registry) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid OrganisationId { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    [BindProperty]
    public PartnerClientAuthentication Authentication { get; set; } = PartnerClientAuthentication.ClientSecret;

    [BindProperty]
    public string? PublicJwk { get; set; }

    public PartnerOrganisation? Organisation { get; private set; }

    /// <summary>Set only on the answer to a successful post.</summary>
    public ClientCredentialResult? Created { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Organisation = await db.PartnerOrganisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OrganisationId, cancellationToken);
        return Organisation is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Organisation = await db.PartnerOrganisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OrganisationId, cancellationToken);
        if (Organisation is null)
        {
            return NotFound();
        }

        // A bad enum value fails model binding; say so on the field rather than creating a secret client silently.
        if (ModelState.TryGetValue(nameof(Authentication), out var entry) && entry.Errors.Count > 0)
        {
            entry.Errors.Clear();
            ModelState.AddModelError(nameof(Authentication), "Choose a client secret or a public key (private_key_jwt).");
            return Page();
        }

        var result = await registry.CreateClientAsync(OrganisationId, DisplayName, Scopes, Authentication, PublicJwk, cancellationToken);
        if (result.Errors.Any)
        {
            foreach (var (field, message) in result.Errors)
            {
                ModelState.AddModelError(field, message);
            }

            return Page();
        }

        // Note: the secret travels only in this response, which no cache may keep; it is stored only as a hash.
        Response.Headers.CacheControl = "no-store";
        Created = result;
        return Page();
    }
}
