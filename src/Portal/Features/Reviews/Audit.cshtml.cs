using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>One finding row of the audit completion form; a row left entirely blank is not a finding.</summary>
public sealed class AuditFindingRow
{
    public NonconformityGrade? Grade { get; set; }

    public string? Reference { get; set; }

    public string? Summary { get; set; }

    public bool IsBlank => Grade is null && string.IsNullOrWhiteSpace(Reference) && string.IsNullOrWhiteSpace(Summary);
}

/// <summary>
/// An auditor records the end of the audit an assessment was routed to: the conclusion and the findings, graded. The
/// rules live in <see cref="CompleteAuditHandler"/>, which moves the assessment to Under review and signals its review
/// workflow (which then opens remediation for the nonconformities); this page shows its messages per field. That quick
/// form suits a document check; for a full audit the page links to planning a second-party audit with this
/// assessment as its origin (/Audits/Create?fromAssessment=...), whose first issued report completes this step.
/// </summary>
[Authorize(Roles = $"{Roles.Auditor},{Roles.Administrator}")]
public sealed class AuditModel(SupplierAssureDbContext db, CompleteAuditHandler complete) : PageModel
{
    public const int Rows = 5;

    public Assessment Assessment { get; private set; } = null!;

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public List<AuditFindingRow> Findings { get; set; } = [];

    public bool AwaitsAudit => Assessment.State == AssessmentState.Audit;

    /// <summary>The second-party audit planned from this review, if any (one per review).</summary>
    public SupplierAudit? LinkedAudit { get; private set; }

    /// <summary>Whether the user may plan audits (auditors and administrators on the operator's side).</summary>
    public bool CanPlanAudit { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Findings = [.. Enumerable.Range(0, Rows).Select(_ => new AuditFindingRow())];
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var rows = Findings.Take(Rows).ToList();
        var filled = rows.Select((row, index) => (row, index)).Where(x => !x.row.IsBlank).ToList();
        // An ungraded row goes to the handler as an undefined grade, so its message comes with all the others.
        var inputs = filled.ConvertAll(x => new AuditFindingInput(x.row.Grade ?? (NonconformityGrade)(-1), x.row.Reference, x.row.Summary ?? string.Empty));
        var userId = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        var outcome = await complete.HandleAsync(new CompleteAuditRequest(id, userId, Summary, inputs), cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                TempData["Message"] = "Audit recorded; the assessment waits for a review decision.";
                return Redirect($"/Reviews/{id:D}");
            case OutcomeStatus.NotFound:
                return NotFound();
        }

        // The handler numbers findings among the filled rows; the messages go to the form's own rows.
        var rowIndexes = filled.ConvertAll(x => x.index);
        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(RowField(field, rowIndexes), message);
            }
        }

        while (Findings.Count < Rows)
        {
            Findings.Add(new AuditFindingRow());
        }

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private static string RowField(string field, List<int> filled)
    {
        const string prefix = "Findings[";
        if (!field.StartsWith(prefix, StringComparison.Ordinal))
        {
            return field;
        }

        var end = field.IndexOf(']', StringComparison.Ordinal);
        return end > prefix.Length && int.TryParse(field[prefix.Length..end], out var index) && index < filled.Count
            ? $"{prefix}{filled[index]}{field[end..]}"
            : field;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Supplier).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assessment is null)
        {
            return false;
        }

        Assessment = assessment;
        LinkedAudit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.OriginAssessmentId == id, cancellationToken);
        CanPlanAudit = Audits.AuditAccess.CanAudit(User);
        return true;
    }
}
