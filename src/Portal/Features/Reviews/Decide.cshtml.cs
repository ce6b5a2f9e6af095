using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>
/// The review file of one assessment and the reviewer's decision: score and breakdown, open findings, every answer
/// with its evidence and comment thread, and the decision form (approve, approve conditionally with the risk owner's
/// acceptance, reject, return, return for clarification). The rules live in <see cref="DecideReviewHandler"/>; this page
/// shows its messages.
/// </summary>
[Authorize(Roles = ReviewRoles.Reviewers)]
public sealed class DecideModel(ReviewFileReader reader, DecideReviewHandler decide) : PageModel
{
    public ReviewFile Review { get; private set; } = null!;

    public Assessment Assessment => Review.Assessment;

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

    /// <summary>Comments are taken while a decision is due and while the supplier clarifies.</summary>
    public bool TakesComments => Assessment.State is AssessmentState.UnderReview or AssessmentState.Clarification;

    /// <summary>Reviewer comments on this submission so far: the questions a return for clarification would ask about.</summary>
    public int QuestionsCommented { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        // A risk owner deciding themselves accepts the residual risk in their own name.
        if (User.IsInRole(Core.Identity.Roles.RiskOwner))
        {
            RiskOwner ??= User.FindFirstValue(Identity.PortalClaims.DisplayName);
        }

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Outcome is null)
        {
            ModelState.AddModelError(nameof(Outcome), "Choose approve, approve conditionally, reject, return, or return for clarification.");
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var outcome = await decide.HandleAsync(new DecideReviewRequest(id, userId, Outcome.Value, Reason, RiskOwner, RiskAcceptance), cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = outcome.Value!.Outcome == ReviewOutcome.ReturnForClarification
                    ? "Returned to the supplier for clarification. It comes back to this queue when the supplier submits again."
                    : $"Decision recorded: {outcome.Value!.Outcome}.";
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
        var file = await reader.ReadAsync(id, cancellationToken);
        if (file is null)
        {
            return false;
        }

        Review = file;
        QuestionsCommented = ReviewComments.OpenQuestions(
            file.Questions.SelectMany(q => q.Comments).ToLookup(c => c.QuestionCode, StringComparer.Ordinal), file.Assessment.SubmittedAt).Count;
        return true;
    }
}
