using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>
/// The question comment threads of one assessment, and where a comment is posted: by a reviewer (on the review file)
/// or by the supplier's users (replies on the answering page while the questionnaire is back for clarification). The
/// assessment and its comments are read through the tenant-scoped context, so another organisation's id is a 404.
/// </summary>
[Authorize]
public sealed class CommentsModel(
    SupplierAssureDbContext db,
    AddReviewCommentHandler add,
    IAuthorizationService authorization) : PageModel
{
    public Assessment Assessment { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> QuestionTexts { get; private set; } = new Dictionary<string, string>();

    public ILookup<string, ReviewComment> Threads { get; private set; } = Enumerable.Empty<ReviewComment>().ToLookup(c => c.QuestionCode);

    [BindProperty]
    public string? QuestionCode { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    /// <summary>Where the page's links lead back to: the answering page for suppliers, the review file for reviewers.</summary>
    public string BackTo { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, await IsSupplierUserAsync(), cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var supplier = await IsSupplierUserAsync();
        if (!supplier && !IsReviewer())
        {
            return Forbid();
        }

        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : (Guid?)null;
        var name = User.FindFirstValue(PortalClaims.DisplayName) ?? User.Identity?.Name ?? "unknown";
        var outcome = await add.HandleAsync(new AddReviewCommentRequest(id, QuestionCode, Text, userId, name, supplier), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            var code = outcome.Value!.QuestionCode;
            var page = supplier ? $"/Assessments/{id:D}" : $"/Reviews/{id:D}";
            // Note: the redirect is built from the route id and a question code that the handler found in the
            // template, never from posted URLs, so the comment form cannot be turned into an open redirect.
            return LocalRedirect($"{page}#question-{Uri.EscapeDataString(code)}");
        }

        ModelState.AddOutcomeErrors(outcome);

        return await LoadAsync(id, supplier, cancellationToken) ? Page() : NotFound();
    }

    public bool CanWrite => Assessment.State == AssessmentState.Clarification
        || (Assessment.State == AssessmentState.UnderReview && IsReviewer());

    private bool IsReviewer() =>
        User.IsInRole(Roles.SecurityReviewer) || User.IsInRole(Roles.ProcurementManager) || User.IsInRole(Roles.RiskOwner) || User.IsInRole(Roles.Administrator);

    private async Task<bool> IsSupplierUserAsync() =>
        (await authorization.AuthorizeAsync(User, IdentityExtensions.SupplierUserPolicy)).Succeeded;

    private async Task<bool> LoadAsync(Guid id, bool supplier, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Supplier).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        Threads = await ReviewComments.ThreadsAsync(db, id, cancellationToken);
        var codes = Threads.Select(t => t.Key).Append(QuestionCode ?? string.Empty).ToList();
        QuestionTexts = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId && codes.Contains(q.Code))
            .ToDictionaryAsync(q => q.Code, q => q.Text, StringComparer.Ordinal, cancellationToken);
        BackTo = supplier || !IsReviewer() ? $"/Assessments/{id:D}" : $"/Reviews/{id:D}";
        return true;
    }
}
