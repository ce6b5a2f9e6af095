using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>
/// A reviewer's decision on one assessment Under review: the score, the open findings, and the decision form. The
/// rules (what may be approved, what needs the risk owner's acceptance) live in <see cref="DecideReviewHandler"/>;
/// this page only shows its messages.
/// </summary>
[Authorize(Roles = $"{Roles.SecurityReviewer},{Roles.ProcurementManager},{Roles.RiskOwner},{Roles.Administrator}")]
public sealed class DecideModel(SupplierAssureDbContext db, DecideReviewHandler decide) : PageModel
{
    public Assessment Assessment { get; private set; } = null!;
    public IReadOnlyList<AssessmentFinding> OpenFindings { get; private set; } = [];
    public IReadOnlyList<ReviewDecision> Decisions { get; private set; } = [];

    [BindProperty]
    public ReviewOutcome? Outcome { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? RiskOwner { get; set; }

    [BindProperty]
    public string? RiskAcceptance { get; set; }

    [TempData]
    public string? Message { get; set; }

    public bool AwaitsDecision => Assessment.State == AssessmentState.UnderReview;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Outcome is null)
        {
            ModelState.AddModelError(nameof(Outcome), "Choose approve, approve conditionally, reject or return.");
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var outcome = await decide.HandleAsync(new DecideReviewRequest(id, userId, Outcome.Value, Reason, RiskOwner, RiskAcceptance), cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = $"Decision recorded: {outcome.Value!.Outcome}.";
                return RedirectToPage(new { id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                foreach (var (field, messages) in outcome.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field, message);
                    }
                }

                return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Supplier).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        OpenFindings = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == id && f.State == AssessmentFindingState.Open)
            .OrderBy(f => f.Grade).ThenBy(f => f.RaisedAt)
            .ToListAsync(cancellationToken);
        Decisions = await db.Set<ReviewDecision>().AsNoTracking()
            .Where(d => d.AssessmentId == id)
            .OrderByDescending(d => d.DecidedAt)
            .ToListAsync(cancellationToken);
        return true;
    }
}
