using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.QuestionBank;

namespace SupplierAssure.Core.Questionnaires;

/// <summary>The result of an import: the stored draft, or every problem found in the file.</summary>
public sealed record ImportResult(QuestionnaireTemplate? Template, IReadOnlyList<QuestionBankProblem> Problems, string? Conflict)
{
    public bool Succeeded => Template is not null;
}

/// <summary>
/// Versions of questionnaire templates. A file is imported as a draft of a new version; publishing freezes it. A
/// version number is never reused, so an assessment's template id always means the questions it was issued with.
/// </summary>
public sealed class TemplateVersionsHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public const long MaxImportBytes = 2 * 1024 * 1024;

    public async Task<ImportResult> ImportAsync(Stream file, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = Path.GetFileName(fileName);
        QuestionnaireTemplate template;
        try
        {
            template = QuestionBankLoader.Load(file, name);
        }
        catch (QuestionBankInvalidException ex)
        {
            return new ImportResult(null, ex.Problems, null);
        }

        if (await db.QuestionnaireTemplates.AnyAsync(t => t.Code == template.Code && t.Version == template.Version, cancellationToken))
        {
            var next = await db.QuestionnaireTemplates.Where(t => t.Code == template.Code).MaxAsync(t => t.Version, cancellationToken) + 1;
            return new ImportResult(null, [], $"Version {template.Version} of {template.Code} already exists and versions are never replaced; import the file as version {next}.");
        }

        template.Id = Guid.NewGuid();
        template.Status = TemplateStatus.Draft;
        template.SourceName = name.Length > 260 ? name[..260] : name;
        template.ImportedAt = clock.GetUtcNow();
        db.QuestionnaireTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return new ImportResult(template, [], null);
    }

    public async Task<Outcome> PublishAsync(Guid templateId, CancellationToken cancellationToken)
    {
        var template = await db.QuestionnaireTemplates.SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken);
        if (template is null)
        {
            return Outcome.NotFound();
        }

        if (template.Status == TemplateStatus.Published)
        {
            return Outcome.Conflict($"Version {template.Version} of {template.Code} is already published and cannot change.");
        }

        template.Status = TemplateStatus.Published;
        template.PublishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    /// <summary>Deletes a draft nobody was issued; published versions stay for ever.</summary>
    public async Task<Outcome> DiscardDraftAsync(Guid templateId, CancellationToken cancellationToken)
    {
        var template = await db.QuestionnaireTemplates.SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken);
        if (template is null)
        {
            return Outcome.NotFound();
        }

        if (template.Status == TemplateStatus.Published || await db.Assessments.IgnoreQueryFilters().AnyAsync(a => a.TemplateId == templateId, cancellationToken))
        {
            return Outcome.Conflict("Only an unused draft can be discarded.");
        }

        db.QuestionnaireTemplates.Remove(template);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    /// <summary>The newest published version of <paramref name="code"/>, with its questions, for issuing new assessments.</summary>
    public Task<QuestionnaireTemplate?> LatestPublishedAsync(string code, CancellationToken cancellationToken) =>
        db.QuestionnaireTemplates.AsNoTracking().Include(t => t.Questions)
            .Where(t => t.Code == code && t.Status == TemplateStatus.Published)
            .OrderByDescending(t => t.Version)
            .FirstOrDefaultAsync(cancellationToken);
}
