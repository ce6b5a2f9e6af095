using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// One questionnaire: answer by section, attach evidence per question, save a draft, submit. The assessment is
/// read through the tenant-scoped context, so another organisation's id simply is not found.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
// Note: the whole-form post carries about six values and one (usually empty) file part per question, and ASP.NET Core
// counts both against ValueCountLimit (1,024 by default): a fully answered Tier 1 questionnaire (166 questions for a
// carrier) went over it and every Save draft / Submit was refused with 400. 4,096 fits a 500-question template; the
// request stays bounded by MaxRequestBytes.
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes, ValueCountLimit = MaxFormValues)]
public sealed class DetailsModel(
    SupplierAssureDbContext db,
    SaveAnswersHandler saveAnswers,
    SubmitAssessmentHandler submitAssessment,
    UploadEvidenceHandler uploadEvidence,
    IAuthorizationService authorization,
    AnsweringProgress progress,
    SectionDelegation delegation,
    IOptions<EvidenceOptions> evidenceOptions) : PageModel
{
    public const string EvidenceFieldPrefix = "evidence-";
    private const long MaxRequestBytes = 110L * 1024 * 1024;
    private const int MaxFormValues = 4096;
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    [BindProperty]
    public List<AnswerForm> Answers { get; set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public Assessment Assessment { get; private set; } = null!;
    public string TemplateTitle { get; private set; } = string.Empty;
    public IReadOnlyList<TemplateQuestion> Questions { get; private set; } = [];
    public ILookup<string, EvidenceFile> Evidence { get; private set; } = Enumerable.Empty<EvidenceFile>().ToLookup(e => e.QuestionCode);
    public IReadOnlyDictionary<string, AnswerForm> Current { get; private set; } = new Dictionary<string, AnswerForm>();

    /// <summary>The stored answers by question (version, carried-over state), as the page's base for conflict detection.</summary>
    public IReadOnlyDictionary<string, Answer> Stored { get; private set; } = new Dictionary<string, Answer>();

    /// <summary>Changes refused because a colleague saved the same answer first, by question.</summary>
    public IReadOnlyDictionary<string, AnswerConflict> Conflicts { get; private set; } = new Dictionary<string, AnswerConflict>();

    /// <summary>Carried-over answers nobody has confirmed or changed yet, on questions asked now (submission demands no others).</summary>
    public int AwaitingConfirmationCount => Stored.Values.Count(a => a.AwaitingConfirmation && DisplayOf(a.QuestionCode) == QuestionDisplay.Shown);

    /// <summary>
    /// Per question of the tier: asked now, rendered hidden behind its trigger answer, or not put to this supplier's
    /// roles at all (not rendered). Read from the answers as the page shows them, so a page re-shown with errors
    /// agrees with the trigger answer the person typed.
    /// </summary>
    public IReadOnlyDictionary<string, QuestionDisplay> Displays { get; private set; } = new Dictionary<string, QuestionDisplay>();

    public QuestionDisplay DisplayOf(string code) => Displays.GetValueOrDefault(code, QuestionDisplay.NotAsked);

    /// <summary>
    /// For a question rendered hidden now (its trigger answer does not call for it, and no message keeps it visible):
    /// the trigger question and the labels of the answers that would show it; null for any other question.
    /// </summary>
    public (TemplateQuestion Trigger, IReadOnlyList<string> Answers)? HiddenBehind(string code)
    {
        if (DisplayOf(code) != QuestionDisplay.Hidden || Conflicts.ContainsKey(code)
            || (ModelState.TryGetValue(QuestionKey(code), out var entry) && entry.Errors.Count > 0))
        {
            return null;
        }

        var question = Questions.First(q => q.Code == code);
        var trigger = Questions.FirstOrDefault(q => q.Code == question.ShowWhenQuestion);
        if (trigger is null)
        {
            return null;
        }

        var labels = QuestionDisplays.ShowingValues(question)
            .Select(v => trigger.Options.FirstOrDefault(o => o.Value == v)?.Label ?? v)
            .ToList();
        return (trigger, labels);
    }

    /// <summary>The largest evidence file the server accepts (<see cref="EvidenceOptions.MaxFileBytes"/>), told to the page's upload controls.</summary>
    public long MaxEvidenceBytes => evidenceOptions.Value.MaxFileBytes;

    /// <summary><see cref="MaxEvidenceBytes"/> in words ("25 MB").</summary>
    public string MaxEvidenceSize => SizeWords(MaxEvidenceBytes);

    /// <summary>The signed-in user's id, which keys the browser's store of unsent changes.</summary>
    public Guid CurrentUserId => UserId();
    public bool CanEdit { get; private set; }

    /// <summary>After a refused submission: each question still missing (code, what to do), in the page's order, linked from the list at the top.</summary>
    public IReadOnlyList<(string Code, string Message)> Missing { get; private set; } = [];
    public ScoreResult? Score { get; private set; }

    /// <summary>Progress per section, counted with the submission's rule (what "Submit" would still ask for).</summary>
    public IReadOnlyList<SectionProgress> Progress { get; private set; } = [];

    /// <summary>Who each delegated section is assigned to.</summary>
    public IReadOnlyDictionary<string, SectionOwner> Owners { get; private set; } = new Dictionary<string, SectionOwner>();

    /// <summary>A supplier admin may assign sections to colleagues (Sections page).</summary>
    public bool CanDelegate => CanEdit && User.IsInRole(Core.Identity.Roles.SupplierAdmin);

    public SectionProgress? ProgressOf(string section) => Progress.FirstOrDefault(p => p.Section == section);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        return await LoadAsync(id, posted: null, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await IsSupplierUserAsync())
        {
            return Forbid();
        }

        var saved = await SaveAsync(id, cancellationToken);
        if (saved.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return await LoadAsync(id, Answers, cancellationToken) ? Page() : NotFound();
        }

        Notice = "Your answers are saved.";
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// "Add from library" next to a question: the button posts the whole form like "Save draft" (nothing typed is lost
    /// without script either), then opens the library picker for that question.
    /// </summary>
    public async Task<IActionResult> OnPostLibraryAsync(Guid id, string? question, CancellationToken cancellationToken)
    {
        if (!await IsSupplierUserAsync())
        {
            return Forbid();
        }

        var saved = await SaveAsync(id, cancellationToken);
        if (saved.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return await LoadAsync(id, Answers, cancellationToken) ? Page() : NotFound();
        }

        return Redirect($"/Assessments/{id}/Library?question={Uri.EscapeDataString(question ?? string.Empty)}");
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await IsSupplierUserAsync())
        {
            return Forbid();
        }

        var saved = await SaveAsync(id, cancellationToken);
        if (saved.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (ModelState.IsValid && Conflicts.Count == 0)
        {
            var submitted = await submitAssessment.HandleAsync(new SubmitAssessmentRequest(id, UserId()), cancellationToken);
            if (submitted.Status == OutcomeStatus.NotFound)
            {
                return NotFound();
            }

            if (submitted.Succeeded)
            {
                Notice = "Thank you. Your questionnaire is submitted and is being scored.";
                return RedirectToPage(new { id });
            }

            if (submitted.Status == OutcomeStatus.Invalid)
            {
                Missing = submitted.Errors.Where(e => !string.IsNullOrEmpty(e.Key)).Select(e => (e.Key, e.Value.FirstOrDefault() ?? string.Empty)).ToList();
            }

            AddErrors(submitted, "Some questions still need an answer before you can submit:");
        }

        return await LoadAsync(id, Answers, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>
    /// Autosave: the page's script posts the answers changed since its last save (form-encoded, with the page's
    /// anti-forgery token) and gets back, per question, the new version, a validation message or a colleague's
    /// conflicting answer. Each answer stands alone here, so one invalid answer does not hold up the others.
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await IsSupplierUserAsync())
        {
            return Forbid();
        }

        if (Answers.Count == 0 || Answers.Any(a => string.IsNullOrEmpty(a.QuestionCode)))
        {
            if (!await db.Assessments.AnyAsync(a => a.Id == id, cancellationToken))
            {
                return NotFound();
            }

            return BadRequest(new AutosaveResponse("invalid", [], [], new Dictionary<string, string[]> { [string.Empty] = ["Send at least one answer, each with its question code."] }));
        }

        var result = await saveAnswers.SaveAsync(new SaveAnswersRequest(id, UserId(), ToInputs()) { PerQuestion = true }, cancellationToken);
        // The page's section counts after this save, by the submission's rule (a changed answer may show or hide others).
        var sections = result.Outcome.Status == OutcomeStatus.Ok || result.Outcome.Status == OutcomeStatus.Invalid
            ? (await progress.OfAsync(id, cancellationToken) ?? []).Select(p => new AutosaveProgress(p.Anchor, p.Section, p.Answered, p.Required)).ToList()
            : [];
        return result.Outcome.Status switch
        {
            OutcomeStatus.NotFound => NotFound(),
            OutcomeStatus.Conflict => new JsonResult(new AutosaveResponse("closed", [], [], result.Outcome.Errors)) { StatusCode = StatusCodes.Status409Conflict },
            _ => new JsonResult(new AutosaveResponse(
                result.Outcome.Succeeded && result.Conflicts.Count == 0 ? "saved" : "attention",
                result.Saved.Select(a => new AutosavedAnswer(a.QuestionCode, a.Value, a.NotApplicableReason, a.Version, a.AwaitingConfirmation)).ToList(),
                result.Conflicts.Select(c => new AutosaveConflict(c.QuestionCode, c.TheirValue, c.TheirReason, c.TheirValueText, c.CurrentVersion, c.ChangedBy,
                    c.ChangedAt.UtcDateTime.ToString("d MMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC")).ToList(),
                result.Outcome.Errors) { Progress = sections }),
        };
    }

    private List<AnswerInput> ToInputs() => Answers
        .Where(a => !string.IsNullOrEmpty(a.QuestionCode))
        .Select(a => new AnswerInput(a.QuestionCode!, a.Choices is { Length: > 0 } ? string.Join(',', a.Choices) : a.Value, a.NotApplicableReason)
        {
            BaseVersion = a.BaseVersion,
            BaseValue = a.BaseValue,
            BaseReason = a.BaseReason,
            Confirm = a.Confirm,
        })
        .ToList();

    private async Task<Outcome> SaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await saveAnswers.SaveAsync(new SaveAnswersRequest(id, UserId(), ToInputs()), cancellationToken);
        var outcome = result.Outcome;
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return outcome;
        }

        Conflicts = result.Conflicts.ToDictionary(c => c.QuestionCode, StringComparer.Ordinal);
        if (Conflicts.Count > 0)
        {
            ModelState.AddModelError(string.Empty,
                $"A colleague changed {Conflicts.Count} of these answers while you were working ({string.Join(", ", Conflicts.Keys)}); yours were not saved for those. " +
                "Each is shown below with their answer: save again to keep yours, or take theirs.");
        }

        AddErrors(outcome, "Some answers need attention:");
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        foreach (var file in Request.Form.Files.Where(f => f.Name.StartsWith(EvidenceFieldPrefix, StringComparison.Ordinal) && f.Length > 0))
        {
            var code = file.Name[EvidenceFieldPrefix.Length..];
            await using var content = file.OpenReadStream();
            var uploaded = await uploadEvidence.HandleAsync(new UploadEvidenceRequest(id, code, file.FileName, content, UserId()), cancellationToken);
            if (!uploaded.Succeeded)
            {
                foreach (var message in uploaded.Errors.Values.SelectMany(m => m))
                {
                    ModelState.AddModelError(QuestionKey(code), $"{file.FileName}: {message}");
                }
            }
        }

        return outcome;
    }

    private void AddErrors(Outcome outcome, string summary)
    {
        if (outcome.Succeeded)
        {
            return;
        }

        ModelState.AddModelError(string.Empty, summary);
        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(string.IsNullOrEmpty(field) ? string.Empty : QuestionKey(field), message);
            }
        }
    }

    public static string QuestionKey(string code) => "q-" + code;

    /// <summary>A byte count as people read a size limit: whole megabytes ("25 MB") where it is one, else to a tenth.</summary>
    public static string SizeWords(long bytes)
    {
        const long Kb = 1024;
        const long Mb = 1024 * Kb;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return bytes >= Mb
            ? (bytes % Mb == 0 ? (bytes / Mb).ToString(inv) : (bytes / (double)Mb).ToString("0.#", inv)) + " MB"
            : (bytes % Kb == 0 ? (bytes / Kb).ToString(inv) : (bytes / (double)Kb).ToString("0.#", inv)) + " KB";
    }

    private async Task<bool> LoadAsync(Guid id, IReadOnlyList<AnswerForm>? posted, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Include(a => a.Answers)
            .Include(a => a.EvidenceFiles)
            .Include(a => a.Template)
            .SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        TemplateTitle = assessment.Template!.Title;
        Questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .OrderBy(q => q.Order)
            .ToListAsync(cancellationToken);
        Questions = Questions.Where(q => q.AppliesTo(assessment.TierAtIssue)).ToList();
        Evidence = assessment.EvidenceFiles.OrderBy(e => e.UploadedAt).ToLookup(e => e.QuestionCode, StringComparer.Ordinal);
        Stored = assessment.Answers.ToDictionary(a => a.QuestionCode, StringComparer.Ordinal);
        var current = assessment.Answers.ToDictionary(
            a => a.QuestionCode,
            a => new AnswerForm
            {
                QuestionCode = a.QuestionCode, Value = a.Value, NotApplicableReason = a.NotApplicableReason,
                BaseVersion = a.Version, BaseValue = a.Value, BaseReason = a.NotApplicableReason,
            },
            StringComparer.Ordinal);
        foreach (var p in posted ?? [])
        {
            if (!string.IsNullOrEmpty(p.QuestionCode))
            {
                // Re-show what the person typed when the page comes back with errors or conflicts. The base stays what
                // they loaded, except where a colleague's answer was just shown to them: saving again then keeps theirs.
                var stored = Stored.GetValueOrDefault(p.QuestionCode);
                if (p.Choices is { Length: > 0 })
                {
                    p.Value = string.Join(',', p.Choices);
                }

                if (p.BaseVersion is null || Conflicts.ContainsKey(p.QuestionCode))
                {
                    p.BaseVersion = stored?.Version ?? 0;
                    p.BaseValue = stored?.Value;
                    p.BaseReason = stored?.NotApplicableReason;
                }

                current[p.QuestionCode] = p;
            }
        }

        Current = current;
        CanEdit = assessment.IsOpenForAnswers && await IsSupplierUserAsync();
        Score = assessment.ScoreResultJson is null ? null : JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, SnapshotJson);
        var roles = await progress.RolesAsync(assessment.SupplierId, cancellationToken);
        Progress = AnsweringProgress.Of(assessment, Questions, roles, assessment.Answers);
        var byQuestion = Questions.ToDictionary(q => q.Code, StringComparer.Ordinal);
        var shownAnswers = current.ToDictionary(
            c => c.Key,
            c => byQuestion.TryGetValue(c.Key, out var q) ? AnswerRules.Normalise(q, c.Value.Value) : c.Value.Value,
            StringComparer.Ordinal);
        Displays = Questions.ToDictionary(q => q.Code, q => QuestionDisplays.Of(q, roles, shownAnswers), StringComparer.Ordinal);
        Owners = await delegation.OwnersAsync(assessment.Id, cancellationToken);
        return true;
    }

    private async Task<bool> IsSupplierUserAsync() =>
        (await authorization.AuthorizeAsync(User, IdentityExtensions.SupplierUserPolicy)).Succeeded;

    private Guid UserId() => Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id) ? id : Guid.Empty;

    public sealed class AnswerForm
    {
        public string? QuestionCode { get; set; }
        public string? Value { get; set; }
        public string? NotApplicableReason { get; set; }

        /// <summary>The ticked boxes of a multiple-choice question, joined into Value when saved.</summary>
        public string[]? Choices { get; set; }

        /// <summary>The answer's version when the page was loaded (0: no answer then).</summary>
        public long? BaseVersion { get; set; }

        /// <summary>The value and reason when the page was loaded; a field posted unchanged is left as stored.</summary>
        public string? BaseValue { get; set; }

        public string? BaseReason { get; set; }

        /// <summary>Ticked to confirm an answer carried over from the last assessment as it stands.</summary>
        public bool Confirm { get; set; }
    }

    public sealed record AutosaveResponse(string Status, IReadOnlyList<AutosavedAnswer> Saved, IReadOnlyList<AutosaveConflict> Conflicts, IReadOnlyDictionary<string, string[]> Errors)
    {
        /// <summary>Each section's count after the save (empty when nothing could be saved).</summary>
        public IReadOnlyList<AutosaveProgress> Progress { get; init; } = [];
    }

    public sealed record AutosaveProgress(string Anchor, string Section, int Answered, int Required);

    public sealed record AutosavedAnswer(string Code, string? Value, string? Reason, long Version, bool AwaitingConfirmation);

    public sealed record AutosaveConflict(string Code, string? Value, string? Reason, string Text, long Version, string By, string At);
}
