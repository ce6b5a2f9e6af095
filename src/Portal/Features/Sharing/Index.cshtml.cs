using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Sharing;

/// <summary>
/// A supplier admin decides which partner systems may read the organisation's assurance profile: the current and
/// past shares, a form to grant one (with an optional last day), and revocation, which the gateway honours from
/// the next call on. Every grant and revocation goes to the audit log.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy, Roles = Roles.SupplierAdmin)]
public sealed class IndexModel(SupplierAssureDbContext db, SharingConsentsHandler handler, PartnerDirectory directory, PortalAudit audit, TimeProvider clock) : PageModel
{
    [BindProperty]
    public GrantInput Input { get; set; } = new();

    public IReadOnlyList<SharingConsent> Consents { get; private set; } = [];

    public IReadOnlyList<PartnerSystem> Partners { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostGrantAsync(CancellationToken cancellationToken)
    {
        Partners = await directory.ListAsync(cancellationToken);
        DateTimeOffset? expiresAt = null;
        if (!string.IsNullOrWhiteSpace(Input.LastDay))
        {
            if (DateOnly.TryParseExact(Input.LastDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var lastDay))
            {
                // The share holds through the whole last day (UTC) and ends at the following midnight.
                expiresAt = new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }
            else
            {
                ModelState.AddModelError("Input.LastDay", "Enter the last day as a date (yyyy-mm-dd), or leave it empty.");
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var outcome = await handler.GrantAsync(
            new GrantConsentCommand(SupplierId, Input.PartnerClientId ?? string.Empty, Input.Scope ?? string.Empty, expiresAt),
            [.. Partners.Select(p => p.ClientId)], cancellationToken);
        if (!outcome.Succeeded)
        {
            return await ShowErrorsAsync(outcome, cancellationToken);
        }

        var consent = outcome.Value!;
        var partner = PartnerDirectory.NameOf(Partners, consent.PartnerClientId);
        await audit.RecordAsync(SharingFeature.ConsentGranted, $"consent:{consent.Id:D}", consent.SupplierId, cancellationToken,
            $"{consent.Scope} shared with {consent.PartnerClientId}" + (consent.ExpiresAt is { } until ? $" until {until:O}" : " until revoked"));
        Notice = $"{partner} can now read your security status.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid consentId, CancellationToken cancellationToken)
    {
        var outcome = await handler.RevokeAsync(consentId, cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            return await ShowErrorsAsync(outcome, cancellationToken);
        }

        var consent = outcome.Value!;
        await audit.RecordAsync(SharingFeature.ConsentRevoked, $"consent:{consent.Id:D}", consent.SupplierId, cancellationToken,
            $"{consent.Scope} no longer shared with {consent.PartnerClientId}");
        Partners = await directory.ListAsync(cancellationToken);
        Notice = $"{PartnerDirectory.NameOf(Partners, consent.PartnerClientId)} can no longer read your security status.";
        return RedirectToPage();
    }

    public string PartnerName(string clientId) => PartnerDirectory.NameOf(Partners, clientId);

    public static string ScopeLabel(string scope) => scope == SharingConsent.StatusScope ? "Security status and credentials" : scope;

    private async Task<IActionResult> ShowErrorsAsync(Outcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(field switch { "" => string.Empty, "ExpiresAt" => "Input.LastDay", _ => "Input." + field }, message);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private Guid SupplierId => Guid.Parse(User.FindFirst(PortalClaims.SupplierId)!.Value);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        if (Partners.Count == 0)
        {
            Partners = await directory.ListAsync(cancellationToken);
        }

        // The tenant-scoped context: only this organisation's consents.
        Consents = await db.SharingConsents.AsNoTracking()
            .OrderByDescending(c => c.GrantedAt).Take(500)
            .ToListAsync(cancellationToken);
    }

    public sealed class GrantInput
    {
        public string? PartnerClientId { get; set; }

        public string? Scope { get; set; } = SharingConsent.StatusScope;

        /// <summary>The last day (UTC) the partner may read, as yyyy-MM-dd; empty for "until revoked".</summary>
        public string? LastDay { get; set; }
    }
}
