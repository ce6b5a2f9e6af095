using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Remediation;

/// <summary>
/// One remediation case: the finding, the deadlines, and the form for whoever acts next: the supplier's users plan
/// and implement; an auditor, security reviewer or administrator verifies. The tenant filter hides other
/// organisations' cases (404), and the handlers decide what each state allows.
/// </summary>
[Authorize]
public sealed class DetailsModel(
    SupplierAssureDbContext db,
    SubmitActionPlanHandler plan,
    RecordImplementationHandler implement,
    VerifyRemediationHandler verify,
    AuditFileStager files) : PageModel
{
    public RemediationCase Case { get; private set; } = null!;
    public AssessmentFinding Finding { get; private set; } = null!;
    public string Supplier { get; private set; } = string.Empty;
    public IReadOnlyList<AuditFile> Evidence { get; private set; } = [];
    public IReadOnlyList<(RemediationVerification Check, string By)> Verifications { get; private set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    /// <summary>The why-analysis: up to five answers, each to "why?" of the one before.</summary>
    [BindProperty]
    public List<string?> Whys { get; set; } = [];

    [BindProperty]
    public string? Correction { get; set; }

    [BindProperty]
    public string? Owner { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    [BindProperty]
    public bool Effective { get; set; }

    [TempData]
    public string? Message { get; set; }

    public bool IsSupplierUser => User.HasClaim(c => c.Type == PortalClaims.SupplierId);

    public bool CanVerify => !IsSupplierUser && (User.IsInRole(Roles.Auditor) || User.IsInRole(Roles.SecurityReviewer) || User.IsInRole(Roles.Administrator));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPlanAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return IsSupplierUser
            ? await ShowAsync(id, await plan.HandleAsync(new SubmitActionPlanRequest(id, UserId, Text, new CapaPlan(Whys, Correction, Owner)), cancellationToken),
                "ActionPlan", "Corrective action plan recorded.", cancellationToken)
            : Forbid();
    }

    public async Task<IActionResult> OnPostImplementAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!IsSupplierUser)
        {
            return Forbid();
        }

        var incoming = Files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        var staged = await files.StageAsync([.. incoming.Select(f => new IncomingFile(f.FileName, f.OpenReadStream()))], Case.SupplierId, UserId, nameof(Files), cancellationToken);
        if (!staged.Succeeded)
        {
            return await ShowAsync(id, staged, "ImplementationNote", string.Empty, cancellationToken);
        }

        Outcome<RemediationCase> outcome;
        try
        {
            outcome = await implement.HandleAsync(new RecordImplementationRequest(id, UserId, Text, staged.Value), cancellationToken);
        }
        catch
        {
            // No orphan bytes: the files' rows were not saved.
            await files.DiscardAsync(staged.Value!);
            throw;
        }

        if (!outcome.Succeeded)
        {
            await files.DiscardAsync(staged.Value!);
        }

        return await ShowAsync(id, outcome, "ImplementationNote", "Implementation recorded; waiting for verification.", cancellationToken);
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return CanVerify
            ? await ShowAsync(id, await verify.HandleAsync(new VerifyRemediationRequest(id, UserId, Effective, Text), cancellationToken), "Note",
                Effective ? "Verified effective; the finding is closed." : "Sent back for rework.", cancellationToken)
            : Forbid();
    }

    private Guid UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    private async Task<IActionResult> ShowAsync(Guid id, Outcome outcome, string textField, string success, CancellationToken cancellationToken)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = success;
                return RedirectToPage(new { id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                foreach (var (field, messages) in outcome.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field == textField ? nameof(Text) : field, message);
                    }
                }

                await LoadAsync(id, cancellationToken);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await db.Set<RemediationCase>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (found is null)
        {
            return false;
        }

        Case = found;
        Finding = await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == found.FindingId, cancellationToken);
        Supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == found.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        Evidence = await db.Set<AuditFile>().AsNoTracking().Where(f => f.RemediationId == id).OrderBy(f => f.UploadedAt).ToListAsync(cancellationToken);
        Verifications = (await (from v in db.Set<RemediationVerification>().AsNoTracking()
                                join u in db.Users on v.VerifiedBy equals u.Id into users
                                from u in users.DefaultIfEmpty()
                                where v.RemediationId == id
                                orderby v.VerifiedAt
                                select new { v, Name = u == null ? null : u.DisplayName }).ToListAsync(cancellationToken))
            .Select(x => (x.v, x.Name ?? "operator staff")).ToList();
        return true;
    }
}
