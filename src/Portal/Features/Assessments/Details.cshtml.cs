using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>
/// One questionnaire: answer by section, attach evidence per question, save a draft, submit. The assessment is
/// read through the tenant-scoped context, so another organisation's id simply is not found.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class DetailsModel(
    SupplierAssureDbContext db,
    SaveAnswersHandler saveAnswers,
    SubmitAssessmentHandler submitAssessment,
    UploadEvidenceHandler uploadEvidence,
    IAuthorizationService authorization) : PageModel
{
    public const string EvidenceFieldPrefix = "evidence-";
    private const long MaxRequestBytes = 110L * 1024 * 1024;
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
    public bool CanEdit { get; private set; }
    public ScoreResult? Score { get; private set; }

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

        if (ModelState.IsValid)
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

            AddErrors(submitted, "Some questions still need an answer before you can submit:");
        }

        return await LoadAsync(id, Answers, cancellationToken) ? Page() : NotFound();
    }

    private async Task<Outcome> SaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var inputs = Answers
            .Where(a => !string.IsNullOrEmpty(a.QuestionCode))
            .Select(a => new AnswerInput(a.QuestionCode!, a.Choices is { Length: > 0 } ? string.Join(',', a.Choices) : a.Value, a.NotApplicableReason))
            .ToList();
        var outcome = await saveAnswers.HandleAsync(new SaveAnswersRequest(id, UserId(), inputs), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return outcome;
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
        var current = assessment.Answers.ToDictionary(
            a => a.QuestionCode,
            a => new AnswerForm { QuestionCode = a.QuestionCode, Value = a.Value, NotApplicableReason = a.NotApplicableReason },
            StringComparer.Ordinal);
        foreach (var p in posted ?? [])
        {
            if (!string.IsNullOrEmpty(p.QuestionCode))
            {
                current[p.QuestionCode] = p; // re-show what the person typed when the page comes back with errors
            }
        }

        Current = current;
        CanEdit = assessment.IsOpenForAnswers && await IsSupplierUserAsync();
        Score = assessment.ScoreResultJson is null ? null : JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, SnapshotJson);
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
    }
}
