using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>
/// A risk owner's sign-off on one proposed approval: what is proposed, by whom and why, the residual risk and the open
/// findings, and the accept / decline form with a reason. The role check is the page's; the segregation of duties
/// (not the proposer) and the state checks are <see cref="SignOffResidualRiskHandler"/>'s.
/// </summary>
[Authorize(Roles = Core.Identity.Roles.RiskOwner)]
public sealed class ResidualRiskSignOffModel(SupplierAssureDbContext db, SignOffResidualRiskHandler signOff) : PageModel
{
    public ResidualRiskAcceptance Proposal { get; private set; } = null!;

    public string SupplierName { get; private set; } = string.Empty;

    public IReadOnlyList<(string Grade, string? Reference, string Summary)> OpenFindings { get; private set; } = [];

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Decision is not ("accept" or "decline"))
        {
            ModelState.AddModelError(nameof(Decision), "Choose to accept or decline the residual risk.");
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var name = User.FindFirstValue(Identity.PortalClaims.DisplayName) ?? User.FindFirstValue(ClaimTypes.Email);
        var outcome = await signOff.HandleAsync(new SignOffResidualRiskRequest(id, userId, name, Decision == "accept", Reason), cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = outcome.Value!.State == ResidualRiskState.Accepted
                    ? $"Residual risk accepted: the {ResidualRiskText.Proposed(outcome.Value.ProposedOutcome).ToLowerInvariant()} is recorded as the review decision."
                    : "Declined: the assessment is back with the reviewer.";
                return RedirectToPage(new { id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                ModelState.AddOutcomeErrors(outcome);

                return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await (from p in db.Set<ResidualRiskAcceptance>().AsNoTracking()
                         join s in db.Suppliers.AsNoTracking() on p.SupplierId equals s.Id
                         where p.Id == id
                         select new { Proposal = p, s.LegalName }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return false;
        }

        Proposal = row.Proposal;
        SupplierName = row.LegalName;
        OpenFindings = (await db.Set<Core.Findings.AssessmentFinding>().AsNoTracking()
                .Where(f => f.AssessmentId == Proposal.AssessmentId && f.State == Core.Findings.AssessmentFindingState.Open)
                .OrderBy(f => f.Grade).ThenBy(f => f.Reference)
                .Select(f => new { f.Grade, f.Reference, f.Summary })
                .ToListAsync(cancellationToken))
            .Select(f => (f.Grade.ToString(), f.Reference, f.Summary)).ToList();
        return true;
    }
}
