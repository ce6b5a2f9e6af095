using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Features.Evidence;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// "Add from library" for one question of an open questionnaire: the organisation's library documents, and one button
/// each that links the document's current version to the question through the library's own link use case
/// (<see cref="LinkEvidenceHandler"/>): a new question row pointing at the stored version, no bytes copied.
/// Another organisation's questionnaire is not found.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class LibraryModel(SupplierAssureDbContext db, LibraryReader reader, LinkEvidenceHandler link, PortalAudit audit, TimeProvider clock) : PageModel
{
    public Assessment Assessment { get; private set; } = null!;
    public string TemplateTitle { get; private set; } = string.Empty;
    public TemplateQuestion? Question { get; private set; }
    public IReadOnlyList<LibraryEntry> Documents { get; private set; } = [];

    /// <summary>Documents already evidence for this question here.</summary>
    public IReadOnlySet<Guid> AlreadyLinked { get; private set; } = new HashSet<Guid>();

    public async Task<IActionResult> OnGetAsync(Guid id, string? question, CancellationToken cancellationToken) =>
        await LoadAsync(id, question, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, string? question, Guid documentId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, question, cancellationToken))
        {
            return NotFound();
        }

        if (Question is null)
        {
            return Page();
        }

        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var outcome = await link.HandleAsync(new LinkEvidenceRequest(documentId, id, [Question.Code], userId), cancellationToken);
        if (!outcome.Succeeded)
        {
            if (outcome.Errors.Count == 0)
            {
                // Not found: a document id that is not one of this organisation's.
                ModelState.AddModelError(string.Empty, "That document is not in your organisation's evidence library.");
            }

            foreach (var message in outcome.Errors.Values.SelectMany(m => m))
            {
                ModelState.AddModelError(string.Empty, message);
            }

            return Page();
        }

        var document = Documents.Single(d => d.Document.Id == documentId).Document;
        await audit.RecordAsync(EvidenceLibraryFeature.Linked, $"evidence:{documentId:D}", document.SupplierId, cancellationToken,
            $"assessment {id:D}: {Question.Code} (from the answering page)");
        // The questionnaire page shows it (its [TempData] Notice).
        TempData["Notice"] = $"“{document.Title}” is now evidence for {Question.Code}.";
        return Redirect($"/Assessments/{id}#question-{Uri.EscapeDataString(Question.Code)}");
    }

    private async Task<bool> LoadAsync(Guid id, string? question, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Template).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        TemplateTitle = assessment.Template!.Title;
        var code = question?.Trim() ?? string.Empty;
        Question = (await db.TemplateQuestions.AsNoTracking().Where(q => q.TemplateId == assessment.TemplateId && q.Code == code).ToListAsync(cancellationToken))
            .FirstOrDefault(q => q.AppliesTo(assessment.TierAtIssue));
        if (Question is null)
        {
            ModelState.AddModelError(string.Empty, "Choose a question of this questionnaire from its page.");
            return true;
        }

        Documents = await reader.ReadAsync(null, EvidenceLibrary.Today(clock), cancellationToken);
        AlreadyLinked = (await db.EvidenceFiles.AsNoTracking()
                .Where(f => f.AssessmentId == id && f.QuestionCode == Question.Code && f.DocumentId != null)
                .Select(f => f.DocumentId!.Value)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        return true;
    }
}
