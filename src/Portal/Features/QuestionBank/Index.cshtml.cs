using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.QuestionBank;

/// <summary>Which framework a question must map to, for the browse filter.</summary>
public enum FrameworkFilter
{
    Ctpat,
    Aeo,
    Iso27001,
    Tapa,
    Isps,
}

/// <summary>
/// The question bank for administrators and procurement: browse a version with filters, import a new version from a
/// file (every problem listed by file, line and field), publish a draft, export a version in the import format.
/// </summary>
[Authorize(Roles = Roles.Administrator + "," + Roles.ProcurementManager)]
[RequestSizeLimit(TemplateVersionsHandler.MaxImportBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = TemplateVersionsHandler.MaxImportBytes + 64 * 1024)]
public sealed class IndexModel(SupplierAssureDbContext db, TemplateVersionsHandler versions) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "version")]
    public Guid? TemplateId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Clause { get; set; }

    [BindProperty(SupportsGet = true)]
    public ControlDomain? Domain { get; set; }

    [BindProperty(SupportsGet = true)]
    public SupplierTier? Tier { get; set; }

    [BindProperty(SupportsGet = true)]
    public FrameworkFilter? Framework { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<QuestionnaireTemplate> Versions { get; private set; } = [];
    public QuestionnaireTemplate? Selected { get; private set; }
    public IReadOnlyList<TemplateQuestion> Questions { get; private set; } = [];
    public IReadOnlyList<QuestionBankProblem> ImportProblems { get; private set; } = [];
    public string? ImportError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            ImportError = "Choose a question bank file (JSON) to import.";
        }
        else if (file.Length > TemplateVersionsHandler.MaxImportBytes)
        {
            ImportError = "The file is larger than 2 MB; a question bank is far smaller, so check you chose the right file.";
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var result = await versions.ImportAsync(stream, file.FileName, cancellationToken);
            if (result.Succeeded)
            {
                Notice = $"Imported version {result.Template!.Version} of {result.Template.Code} as a draft with {result.Template.Questions.Count} questions. Check it, then publish it.";
                return RedirectToPage(new { version = result.Template.Id });
            }

            ImportProblems = result.Problems;
            ImportError = result.Conflict ?? $"The file was not imported: {result.Problems.Count} problem(s) to fix.";
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await versions.PublishAsync(id, cancellationToken);
        Notice = outcome.Status switch
        {
            OutcomeStatus.Ok => "Published. This version can now be issued and will never change.",
            OutcomeStatus.NotFound => "That version no longer exists.",
            _ => outcome.Errors.Values.SelectMany(e => e).FirstOrDefault(),
        };
        return RedirectToPage(new { version = id });
    }

    public async Task<IActionResult> OnGetExportAsync(Guid id, CancellationToken cancellationToken)
    {
        var template = await db.QuestionnaireTemplates.AsNoTracking().Include(t => t.Questions).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        var buffer = new MemoryStream();
        QuestionBankLoader.Write(template, buffer);
        buffer.Position = 0;
        return File(buffer, "application/json", $"{template.Code.ToLowerInvariant()}.v{template.Version}.json");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Versions = await db.QuestionnaireTemplates.AsNoTracking()
            .OrderBy(t => t.Code).ThenByDescending(t => t.Version)
            .ToListAsync(cancellationToken);
        Selected = Versions.FirstOrDefault(t => t.Id == TemplateId)
            ?? Versions.Where(t => t.Status == TemplateStatus.Published).MaxBy(t => t.Version)
            ?? Versions.FirstOrDefault();
        if (Selected is null)
        {
            return;
        }

        // A version has a few hundred questions at most: filter in memory, where tier order and clause prefixes are plain C#.
        IEnumerable<TemplateQuestion> questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == Selected.Id)
            .OrderBy(q => q.Order)
            .ToListAsync(cancellationToken);
        if (Clause is { Length: > 0 } clause)
        {
            // "8" means the whole clause, "8.4" one requirement area.
            questions = questions.Where(q => q.Clause == clause || q.Clause.StartsWith(clause + ".", StringComparison.Ordinal));
        }

        if (Domain is { } domain)
        {
            questions = questions.Where(q => q.Domain == domain);
        }

        if (Tier is { } tier)
        {
            questions = questions.Where(q => q.AppliesTo(tier));
        }

        questions = Framework switch
        {
            FrameworkFilter.Ctpat => questions.Where(q => q.Mappings.Ctpat is not null),
            FrameworkFilter.Aeo => questions.Where(q => q.Mappings.Aeo is not null),
            FrameworkFilter.Iso27001 => questions.Where(q => q.Mappings.Iso27001 is not null),
            FrameworkFilter.Tapa => questions.Where(q => q.Mappings.Tapa is not null),
            FrameworkFilter.Isps => questions.Where(q => q.Mappings.Isps is not null),
            _ => questions,
        };
        Questions = questions.ToList();
    }
}
