using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Evidence;

/// <summary>
/// One library document: its details and expiry, every version (old ones stay downloadable), the questions it
/// supports, "Replace" (a new version; open questionnaires move to it, submitted ones keep theirs) and "Use for a
/// question" of an open questionnaire (a link, not a copy). Another organisation's document is not found.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class DetailsModel(
    SupplierAssureDbContext db,
    LibraryReader reader,
    UpdateEvidenceDetailsHandler updateDetails,
    ReplaceEvidenceHandler replace,
    LinkEvidenceHandler link,
    IEvidenceStore store,
    PortalAudit audit,
    TimeProvider clock,
    IOptions<EvidenceOptions> evidenceOptions) : PageModel
{
    /// <summary>The largest file the server accepts (<see cref="EvidenceOptions.MaxFileBytes"/>), told to the upload control.</summary>
    public long MaxEvidenceBytes => evidenceOptions.Value.MaxFileBytes;

    [BindProperty]
    public DetailsInput Input { get; set; } = new();

    [TempData]
    public string? Notice { get; set; }

    public LibraryEntry Entry { get; private set; } = null!;

    public IReadOnlyList<EvidenceVersion> Versions { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyList<LinkTarget> Targets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, fillInput: true, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDetailsAsync(Guid id, CancellationToken cancellationToken)
    {
        DateOnly? expiresOn = null;
        if (!string.IsNullOrWhiteSpace(Input.ExpiresOn))
        {
            if (DateOnly.TryParseExact(Input.ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                expiresOn = day;
            }
            else
            {
                ModelState.AddModelError("Input.ExpiresOn", "Enter the last valid day as a date (yyyy-mm-dd), or leave it empty.");
            }
        }

        if (!Enum.TryParse<EvidenceCategory>(Input.Category, ignoreCase: false, out var category) || !Enum.IsDefined(category))
        {
            ModelState.AddModelError("Input.Category", "Choose one of the listed categories.");
        }

        if (!ModelState.IsValid)
        {
            return await LoadAsync(id, fillInput: false, cancellationToken) ? Page() : NotFound();
        }

        var outcome = await updateDetails.HandleAsync(new UpdateEvidenceDetailsRequest(id, Input.Title, category, expiresOn, Input.Version), cancellationToken);
        if (!outcome.Succeeded)
        {
            return await ShowErrorsAsync(id, outcome, "Input.", fillInput: outcome.Status == OutcomeStatus.Conflict, cancellationToken);
        }

        var document = outcome.Value!;
        await audit.RecordAsync(EvidenceLibraryFeature.DetailsChanged, $"evidence:{document.Id:D}", document.SupplierId, cancellationToken,
            $"{document.Title} ({document.Category}), valid until {(document.ExpiresOn is { } last ? EvidenceLibraryFeature.Day(last) : "no expiry")}");
        Notice = "The document's details are saved.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostReplaceAsync(Guid id, IFormFile? file, string? newExpiresOn, CancellationToken cancellationToken)
    {
        DateOnly? expiresOn = null;
        if (!string.IsNullOrWhiteSpace(newExpiresOn))
        {
            if (DateOnly.TryParseExact(newExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                expiresOn = day;
            }
            else
            {
                ModelState.AddModelError("newExpiresOn", "Enter the new version's last valid day as a date (yyyy-mm-dd), or leave it empty.");
            }
        }

        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Choose the file of the new version.");
        }

        if (!ModelState.IsValid)
        {
            return await LoadAsync(id, fillInput: true, cancellationToken) ? Page() : NotFound();
        }

        await using var content = file!.OpenReadStream();
        var outcome = await replace.HandleAsync(new ReplaceEvidenceRequest(id, file.FileName, content, UserId, expiresOn), cancellationToken);
        if (!outcome.Succeeded)
        {
            return await ShowErrorsAsync(id, outcome, string.Empty, fillInput: true, cancellationToken);
        }

        var replaced = outcome.Value!;
        await audit.RecordAsync(EvidenceLibraryFeature.Replaced, $"evidence:{replaced.Document.Id:D}", replaced.Document.SupplierId, cancellationToken,
            $"version {replaced.Version.Number} ({replaced.Version.Sha256}); {replaced.MovedAttachments} open question(s) moved to it");
        Notice = $"Version {replaced.Version.Number} is now current. "
            + (replaced.MovedAttachments == 0
                ? "No open questionnaire uses this document."
                : $"{replaced.MovedAttachments} question(s) of open questionnaires now show it; submitted questionnaires keep the version they were submitted with.");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostLinkAsync(Guid id, string? target, CancellationToken cancellationToken)
    {
        var parts = (target ?? string.Empty).Split('|', 2);
        if (parts.Length != 2 || !Guid.TryParse(parts[0], out var assessmentId) || parts[1].Length == 0)
        {
            ModelState.AddModelError("target", "Choose the question this document supports.");
            return await LoadAsync(id, fillInput: true, cancellationToken) ? Page() : NotFound();
        }

        var outcome = await link.HandleAsync(new LinkEvidenceRequest(id, assessmentId, [parts[1]], UserId), cancellationToken);
        if (!outcome.Succeeded)
        {
            return await ShowErrorsAsync(id, outcome, string.Empty, fillInput: true, cancellationToken, _ => string.Empty);
        }

        var added = outcome.Value!;
        await audit.RecordAsync(EvidenceLibraryFeature.Linked, $"evidence:{id:D}", added[0].SupplierId, cancellationToken,
            $"assessment {assessmentId:D}: {string.Join(", ", added.Select(a => a.QuestionCode))}");
        Notice = $"The document now supports {parts[1]}.";
        return RedirectToPage(new { id });
    }

    /// <summary>One version's bytes, as an attachment with nosniff, like every evidence download.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid versionId, CancellationToken cancellationToken)
    {
        var version = await db.EvidenceVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId && v.DocumentId == id, cancellationToken);
        if (version is null)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "private, no-store";
        var stream = await store.OpenReadAsync(version.StorageKey, cancellationToken);
        return File(stream, version.ContentType, version.FileName);
    }

    public string NameOf(Guid? userId) => LibraryReader.NameOf(Names, userId);

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private async Task<IActionResult> ShowErrorsAsync(Guid id, Outcome outcome, string prefix, bool fillInput, CancellationToken cancellationToken, Func<string, string>? key = null)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(field.Length == 0 ? string.Empty : key?.Invoke(field) ?? prefix + field, message);
            }
        }

        return await LoadAsync(id, fillInput, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, bool fillInput, CancellationToken cancellationToken)
    {
        var today = EvidenceLibrary.Today(clock);
        var entry = (await reader.ReadAsync(id, today, cancellationToken)).SingleOrDefault();
        if (entry is null)
        {
            return false;
        }

        Entry = entry;
        Versions = await db.EvidenceVersions.AsNoTracking().Where(v => v.DocumentId == id).OrderByDescending(v => v.Number).ToListAsync(cancellationToken);
        Names = await reader.NamesAsync(Versions.Select(v => v.UploadedBy), cancellationToken);
        if (fillInput)
        {
            Input = new DetailsInput
            {
                Title = entry.Document.Title,
                Category = entry.Document.Category.ToString(),
                ExpiresOn = entry.Document.ExpiresOn is { } last ? EvidenceLibraryFeature.Day(last) : null,
                Version = entry.Document.Version,
            };
        }

        // The questions of open questionnaires this document could support (not those it already supports).
        var open = await (from a in db.Assessments.AsNoTracking()
                          where a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress || a.State == AssessmentState.Clarification
                          join t in db.QuestionnaireTemplates on a.TemplateId equals t.Id
                          orderby a.DueDate
                          select new { a.Id, a.TemplateId, a.TierAtIssue, a.DueDate, t.Title })
            .ToListAsync(cancellationToken);
        var templateIds = open.Select(a => a.TemplateId).Distinct().ToList();
        var questions = (await db.TemplateQuestions.AsNoTracking().Where(q => templateIds.Contains(q.TemplateId)).OrderBy(q => q.Order).ToListAsync(cancellationToken))
            .ToLookup(q => q.TemplateId);
        var used = entry.Uses.Select(u => (u.AssessmentId, u.QuestionCode)).ToHashSet();
        Targets = open.Select(a => new LinkTarget(
                a.Id,
                $"{a.Title}, due {EvidenceLibraryFeature.Day(a.DueDate)}",
                questions[a.TemplateId].Where(q => q.AppliesTo(a.TierAtIssue) && !used.Contains((a.Id, q.Code)))
                    .Select(q => new LinkQuestion(q.Code, Shorten(q.Text))).ToList()))
            .Where(t => t.Questions.Count > 0)
            .ToList();
        return true;
    }

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87].TrimEnd() + "…";

    public sealed record LinkTarget(Guid AssessmentId, string Label, IReadOnlyList<LinkQuestion> Questions);

    public sealed record LinkQuestion(string Code, string Text);

    public sealed class DetailsInput
    {
        public string? Title { get; set; }

        public string? Category { get; set; }

        /// <summary>The last valid day as yyyy-MM-dd; empty when the document does not expire.</summary>
        public string? ExpiresOn { get; set; }

        /// <summary>The document's concurrency version when the form was shown.</summary>
        public long Version { get; set; }
    }
}
