using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Evidence;

/// <summary>
/// The organisation's evidence library: every document uploaded so far (across assessments), what it is, which
/// questions it supports, who uploaded the current version, and when it stops being valid. Supplier users only; the
/// tenant-scoped context shows one organisation's documents.
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy)]
public sealed class IndexModel(SupplierAssureDbContext db, LibraryReader reader, TimeProvider clock) : PageModel
{
    /// <summary>"attention": only expired documents and those expiring soon.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    public IReadOnlyList<LibraryEntry> Entries { get; private set; } = [];

    public int ExpiredCount { get; private set; }

    public int ExpiringCount { get; private set; }

    public IReadOnlyList<OpenQuestionnaire> Open { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var today = EvidenceLibrary.Today(clock);
        var all = await reader.ReadAsync(null, today, cancellationToken);
        ExpiredCount = all.Count(e => e.Expiry == ExpiryState.Expired);
        ExpiringCount = all.Count(e => e.Expiry == ExpiryState.ExpiresSoon);
        Entries = Show == "attention" ? all.Where(e => e.Expiry is ExpiryState.Expired or ExpiryState.ExpiresSoon).ToList() : all;
        Open = await (from a in db.Assessments.AsNoTracking()
                      where a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress || a.State == AssessmentState.Clarification
                      join t in db.QuestionnaireTemplates on a.TemplateId equals t.Id
                      orderby a.DueDate
                      select new OpenQuestionnaire(a.Id, t.Title, a.DueDate))
            .ToListAsync(cancellationToken);
    }

    public sealed record OpenQuestionnaire(Guid Id, string Title, DateOnly DueDate);
}
