using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>
/// The review file of one assessment and the reviewer's decision: score and breakdown, open findings, every answer
/// with its evidence and comment thread, and the decision form (approve, approve conditionally, reject, return, return
/// for clarification). An approval that leaves residual risk is proposed to a risk owner instead of decided
/// (<see cref="ProposeResidualRiskHandler"/>); the page shows the proposal and its sign-off. The rules live in the
/// handlers; this page shows their messages.
/// </summary>
[Authorize(Roles = ReviewRoles.Reviewers)]
public sealed class DecideModel(ReviewFileReader reader, DecideReviewHandler decide, ProposeResidualRiskHandler propose, SupplierAssureDbContext db) : PageModel
{
    public ReviewFile Review { get; private set; } = null!;

    public Assessment Assessment => Review.Assessment;

    [BindProperty]
    public ReviewOutcome? Outcome { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The approvals proposed to a risk owner for this assessment, newest first.</summary>
    public IReadOnlyList<ResidualRiskAcceptance> Proposals { get; private set; } = [];

    public ResidualRiskAcceptance? PendingProposal => Proposals.FirstOrDefault(p => p.State == ResidualRiskState.Pending);

    [TempData]
    public string? Message { get; set; }

    public bool AwaitsDecision => Assessment.State == AssessmentState.UnderReview;

    /// <summary>Comments are taken while a decision is due and while the supplier clarifies.</summary>
    public bool TakesComments => Assessment.State is AssessmentState.UnderReview or AssessmentState.Clarification;

    /// <summary>Reviewer comments on this submission so far: the questions a return for clarification would ask about.</summary>
    public int QuestionsCommented { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Outcome is null)
        {
            ModelState.AddModelError(nameof(Outcome), "Choose approve, approve conditionally, reject, return, or return for clarification.");
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        Outcome outcome;
        string done;
        if (await decide.NeedsSignOffAsync(id, Outcome.Value, cancellationToken))
        {
            var name = User.FindFirstValue(Identity.PortalClaims.DisplayName) ?? User.FindFirstValue(ClaimTypes.Email);
            outcome = await propose.HandleAsync(new ProposeResidualRiskRequest(id, userId, name, Outcome.Value, Reason), cancellationToken);
            done = "Proposed to a risk owner: the approval is recorded when another person holding the risk-owner role accepts the residual risk.";
        }
        else
        {
            var decided = await decide.HandleAsync(new DecideReviewRequest(id, userId, Outcome.Value, Reason), cancellationToken);
            outcome = decided;
            done = decided.Value?.Outcome == ReviewOutcome.ReturnForClarification
                ? "Returned to the supplier for clarification. It comes back to this queue when the supplier submits again."
                : $"Decision recorded: {(decided.Value is { } d ? ResidualRiskText.Decided(d.Outcome) : "")}.";
        }

        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = done;
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
        var file = await reader.ReadAsync(id, cancellationToken);
        if (file is null)
        {
            return false;
        }

        Review = file;
        Proposals = await db.Set<ResidualRiskAcceptance>().AsNoTracking()
            .Where(p => p.AssessmentId == id)
            .OrderByDescending(p => p.ProposedAt)
            .ToListAsync(cancellationToken);
        QuestionsCommented = ReviewComments.OpenQuestions(
            file.Questions.SelectMany(q => q.Comments).ToLookup(c => c.QuestionCode, StringComparer.Ordinal), file.Assessment.SubmittedAt).Count;
        return true;
    }
}
