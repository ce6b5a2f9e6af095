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
    VerifyRemediationHandler verify) : PageModel
{
    public RemediationCase Case { get; private set; } = null!;
    public AssessmentFinding Finding { get; private set; } = null!;
    public string Supplier { get; private set; } = string.Empty;

    [BindProperty]
    public string? Text { get; set; }

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
            ? await ShowAsync(id, await plan.HandleAsync(new SubmitActionPlanRequest(id, UserId, Text), cancellationToken), "ActionPlan", "Action plan recorded.", cancellationToken)
            : Forbid();
    }

    public async Task<IActionResult> OnPostImplementAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return IsSupplierUser
            ? await ShowAsync(id, await implement.HandleAsync(new RecordImplementationRequest(id, UserId, Text), cancellationToken), "ImplementationNote", "Implementation recorded; waiting for verification.", cancellationToken)
            : Forbid();
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
        return true;
    }
}
