using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Federation;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>
/// Upstream identity providers come from configuration (Federation:Providers, secrets included; see
/// docs/decisions.md); this page shows them with their callback URLs and manages the supplier organisations'
/// e-mail domain claims and which provider each domain routes to. Every change is audit-logged.
/// </summary>
[Authorize(Roles = Roles.Administrator)]
public sealed partial class IdentityProvidersModel(
    SupplierAssureDbContext db,
    IOptions<FederationOptions> options,
    PortalAudit audit,
    TimeProvider clock) : PageModel
{
    public sealed record ProviderRow(string Name, string DisplayName, Uri? Issuer, string CallbackUrl, IReadOnlyList<string> Domains);

    public sealed record ClaimRow(Guid Id, string Domain, Guid SupplierId, string SupplierName, string? ProviderName, bool ProviderConfigured);

    public IReadOnlyList<ProviderRow> Providers { get; private set; } = [];
    public IReadOnlyList<ClaimRow> Claims { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Suppliers { get; private set; } = [];
    public string? Message { get; private set; }

    [BindProperty]
    public ClaimInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var domain = (Input.Domain ?? string.Empty).Trim().TrimStart('@').TrimEnd('.').ToLowerInvariant();
        if (ModelState.IsValid)
        {
            if (!DomainPattern().IsMatch(domain))
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(ClaimInput.Domain)}", "Enter a domain name such as example.com (no @, no https://).");
            }
            else if (await db.Set<SupplierDomain>().AnyAsync(d => d.Domain == domain, cancellationToken))
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(ClaimInput.Domain)}", $"{domain} is already claimed. Remove that claim first if it moves to another organisation.");
            }

            if (Input.SupplierId is not { } supplierId || !await db.Suppliers.AnyAsync(s => s.Id == supplierId, cancellationToken))
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(ClaimInput.SupplierId)}", "Choose the supplier organisation that owns the domain.");
            }

            if (!string.IsNullOrEmpty(Input.ProviderName) && options.Value.Find(Input.ProviderName) is null)
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(ClaimInput.ProviderName)}", "Choose one of the configured identity providers, or none.");
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var claim = new SupplierDomain
        {
            Id = Guid.NewGuid(),
            SupplierId = Input.SupplierId!.Value,
            Domain = domain,
            ProviderName = string.IsNullOrEmpty(Input.ProviderName) ? null : Input.ProviderName,
            ClaimedAt = clock.GetUtcNow(),
            ClaimedBy = Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var by) ? by : null,
        };
        db.Add(claim);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.Entry(claim).State = EntityState.Detached;
            if (!await db.Set<SupplierDomain>().AsNoTracking().AnyAsync(d => d.Domain == domain, cancellationToken))
            {
                throw;
            }

            // Another administrator claimed it between our check and our insert; the unique index kept one.
            ModelState.AddModelError($"{nameof(Input)}.{nameof(ClaimInput.Domain)}", $"{domain} is already claimed.");
            await LoadAsync(cancellationToken);
            return Page();
        }

        await audit.RecordAsync(FederationAuditKinds.DomainClaimed, $"domain:{domain}", claim.SupplierId, cancellationToken, $"provider:{claim.ProviderName ?? "none"}");
        return RedirectToPage(new { added = domain });
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        var claim = await db.Set<SupplierDomain>().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (claim is null)
        {
            return NotFound();
        }

        db.Remove(claim);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(FederationAuditKinds.DomainReleased, $"domain:{claim.Domain}", claim.SupplierId, cancellationToken, $"provider:{claim.ProviderName ?? "none"}");
        return RedirectToPage(new { removed = claim.Domain });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Request.Query.TryGetValue("added", out var added))
        {
            Message = $"{added} is now claimed.";
        }
        else if (Request.Query.TryGetValue("removed", out var removed))
        {
            Message = $"The claim on {removed} is removed.";
        }

        var suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Select(s => new { s.Id, s.LegalName }).ToListAsync(cancellationToken);
        Suppliers = [.. suppliers.Select(s => (s.Id, s.LegalName))];
        var names = suppliers.ToDictionary(s => s.Id, s => s.LegalName);
        var claims = await db.Set<SupplierDomain>().AsNoTracking().OrderBy(d => d.Domain).ToListAsync(cancellationToken);
        Claims = [.. claims.Select(c => new ClaimRow(c.Id, c.Domain, c.SupplierId, names.GetValueOrDefault(c.SupplierId, "(removed supplier)"), c.ProviderName, options.Value.Find(c.ProviderName) is not null))];
        var baseUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
        Providers = [.. options.Value.Providers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ProviderRow(
            p.Key,
            p.Value.DisplayName ?? p.Key,
            p.Value.Issuer,
            baseUrl + FederationOptions.CallbackPrefix + p.Key,
            [.. claims.Where(c => c.ProviderName == p.Key).Select(c => c.Domain)]))];
    }

    // Labels of letters, digits and inner hyphens, at least two labels, a letter-only top level.
    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    public sealed class ClaimInput
    {
        [Required(ErrorMessage = "Enter the e-mail domain, for example example.com.")]
        [StringLength(SupplierDomain.DomainMaxLength, ErrorMessage = "A domain has at most 253 characters.")]
        public string? Domain { get; set; }

        [Required(ErrorMessage = "Choose the supplier organisation that owns the domain.")]
        public Guid? SupplierId { get; set; }

        [StringLength(SupplierDomain.ProviderNameMaxLength)]
        public string? ProviderName { get; set; }
    }
}
