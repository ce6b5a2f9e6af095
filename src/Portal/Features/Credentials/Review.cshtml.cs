using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Credentials;

/// <summary>
/// Operator reviewers check the credentials that no public registry can confirm (C-TPAT, TAPA, ISO certificates):
/// the queue of those not yet decided, oldest first, and a verify / reject decision with what the evidence showed.
/// Each decision is audit-logged and appended to the status change feed, so watching partners see it.
/// </summary>
[Authorize(Roles = $"{Roles.SecurityReviewer},{Roles.Administrator}")]
public sealed class ReviewModel(SupplierAssureDbContext db, DecideCredentialReviewHandler handler, PortalAudit audit) : PageModel
{
    public const string Verified = "credential.verified";
    public const string Rejected = "credential.rejected";

    public IReadOnlyList<PendingCredential> Pending { get; private set; } = [];

    [BindProperty]
    public Guid CredentialId { get; set; }

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Decision is not ("verify" or "reject"))
        {
            ModelState.AddModelError(nameof(Decision), "Choose verify or reject.");
            await LoadAsync(cancellationToken);
            return Page();
        }

        var reviewer = User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value ?? User.Identity?.Name ?? "unknown";
        var outcome = await handler.HandleAsync(CredentialId, Decision == "verify", reviewer, Note, cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            foreach (var (field, messages) in outcome.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field == "note" ? nameof(Note) : string.Empty, message);
                }
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        var credential = outcome.Value!;
        await audit.RecordAsync(Decision == "verify" ? Verified : Rejected, $"credential:{credential.Id:D}", credential.SupplierId, cancellationToken,
            $"{credential.Type} {credential.Number}: {credential.VerificationNote}");
        Notice = $"{credential.Type} {credential.Number} {(Decision == "verify" ? "verified" : "rejected")}.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var undecided = await db.Credentials.AsNoTracking()
            .Where(c => c.VerificationState == VerificationState.PendingReview || c.VerificationState == VerificationState.Unverified)
            .Join(db.Suppliers.AsNoTracking(), c => c.SupplierId, s => s.Id, (c, s) => new { Credential = c, s.LegalName })
            .Take(1000)
            .ToListAsync(cancellationToken);
        Pending = [.. undecided
            .Where(x => DecideCredentialReviewHandler.IsManual(x.Credential.Type))
            .OrderBy(x => x.Credential.VerificationState == VerificationState.PendingReview ? 0 : 1)
            .ThenBy(x => x.Credential.SubmittedAt)
            .Select(x => new PendingCredential(x.Credential, x.LegalName))];
    }

    public sealed record PendingCredential(Credential Credential, string SupplierName);

    public static string TypeLabel(CredentialType type) => type switch
    {
        CredentialType.CTpat => "C-TPAT",
        CredentialType.TapaFsr => "TAPA FSR",
        CredentialType.TapaTsr => "TAPA TSR",
        CredentialType.Iso28000 => "ISO 28000",
        CredentialType.IsoIec27001 => "ISO/IEC 27001",
        CredentialType.EuAeo => "EU AEO",
        CredentialType.Eori => "EORI",
        _ => type.ToString(),
    };
}
