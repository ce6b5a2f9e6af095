using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Evidence;

/// <summary>
/// The next cycle: for an open questionnaire, the library documents that supported the same questions in earlier
/// questionnaires, which of them are still valid, and one button per document (or one for all) to link them again.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class ReuseModel(EvidenceReuseReader reader, LinkEvidenceHandler link, PortalAudit audit) : PageModel
{
    [TempData]
    public string? Notice { get; set; }

    public ReuseOffer Offer { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var offer = await reader.ReadAsync(assessmentId, cancellationToken);
        if (offer is null)
        {
            return NotFound();
        }

        Offer = offer;
        return Page();
    }

    /// <summary>Links one document again to every question it supported before that this questionnaire asks.</summary>
    public async Task<IActionResult> OnPostLinkAsync(Guid assessmentId, Guid documentId, CancellationToken cancellationToken)
    {
        var offer = await reader.ReadAsync(assessmentId, cancellationToken);
        if (offer is null)
        {
            return NotFound();
        }

        var candidate = offer.Candidates.FirstOrDefault(c => c.Document.Id == documentId);
        if (candidate is null)
        {
            ModelState.AddModelError(string.Empty, "That document was not evidence in an earlier questionnaire.");
            Offer = offer;
            return Page();
        }

        var outcome = await LinkAsync(assessmentId, candidate, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ShowErrors(offer, outcome);
        }

        Notice = $"“{candidate.Document.Title}” now supports {string.Join(", ", outcome.Value!.Select(f => f.QuestionCode))}.";
        return RedirectToPage(new { assessmentId });
    }

    /// <summary>Links every still-valid document again; expired ones are left for the supplier to renew.</summary>
    public async Task<IActionResult> OnPostLinkAllAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var offer = await reader.ReadAsync(assessmentId, cancellationToken);
        if (offer is null)
        {
            return NotFound();
        }

        var linked = 0;
        foreach (var candidate in offer.Candidates.Where(c => c.CanLinkAgain))
        {
            var outcome = await LinkAsync(assessmentId, candidate, cancellationToken);
            if (!outcome.Succeeded)
            {
                return ShowErrors(offer, outcome);
            }

            linked += outcome.Value!.Count;
        }

        Notice = linked == 0 ? "Nothing left to link: every valid document already supports its questions here." : $"{linked} question(s) now have their evidence from the library.";
        return RedirectToPage(new { assessmentId });
    }

    private async Task<Outcome<IReadOnlyList<Core.Assessments.EvidenceFile>>> LinkAsync(Guid assessmentId, ReuseCandidate candidate, CancellationToken cancellationToken)
    {
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var outcome = await link.HandleAsync(new LinkEvidenceRequest(candidate.Document.Id, assessmentId, candidate.NotYetLinked, userId), cancellationToken);
        if (outcome.Succeeded)
        {
            await audit.RecordAsync(EvidenceLibraryFeature.Linked, $"evidence:{candidate.Document.Id:D}", candidate.Document.SupplierId, cancellationToken,
                $"assessment {assessmentId:D}: {string.Join(", ", outcome.Value!.Select(a => a.QuestionCode))}");
        }

        return outcome;
    }

    private IActionResult ShowErrors(ReuseOffer offer, Outcome outcome)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        foreach (var message in outcome.Errors.Values.SelectMany(m => m))
        {
            ModelState.AddModelError(string.Empty, message);
        }

        Offer = offer;
        return Page();
    }
}
