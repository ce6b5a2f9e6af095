using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// The audit report: every issued revision, one shown as a printable page from its frozen snapshot (never from the
/// live audit, so an issued revision reads the same forever), and, for the assigned auditors once the closing meeting
/// is held, the form that issues the next revision. Supplier users read their own audits' reports.
/// </summary>
[Authorize]
public sealed class ReportModel(SupplierAssureDbContext db, IssueReportHandler issue) : PageModel
{
    public SupplierAudit Audit { get; private set; } = null!;
    public IReadOnlyList<AuditReport> Revisions { get; private set; } = [];
    public AuditReport? Shown { get; private set; }
    public ReportSnapshot? Snapshot { get; private set; }
    public string? IssuedByName { get; private set; }
    public bool CanIssue { get; private set; }

    [BindProperty]
    public string? Conclusion { get; set; }

    [BindProperty]
    public string? RevisionReason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, int? revision, CancellationToken cancellationToken) =>
        Refusal(write: false) ?? (await LoadAsync(id, revision, cancellationToken) ? Page() : NotFound());

    /// <summary>The shown revision as a PDF (the same access as the page: the audit's supplier and operator staff).</summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, int? revision, CancellationToken cancellationToken)
    {
        if (Refusal(write: false) is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(id, revision, cancellationToken) || Shown is null || Snapshot is null)
        {
            return NotFound();
        }

        if (!ReportPdf.Available)
        {
            Message = ReportPdf.Unavailable;
            return RedirectToPage(new { id, revision = Shown.Revision });
        }

        var pdf = ReportPdf.Render(Shown, Snapshot, IssuedByName);
        return File(pdf, "application/pdf", $"audit-report-{Audit.Id.ToString("N")[..8]}-revision-{Shown.Revision}.pdf");
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var reviewDecision = await db.Set<SupplierAudit>().Where(a => a.Id == id).Select(a => a.ReviewDecisionId).SingleOrDefaultAsync(cancellationToken);
        var outcome = await issue.HandleAsync(new IssueReportRequest(id, AuditAccess.Actor(User), Conclusion, RevisionReason), cancellationToken);
        if (outcome.Succeeded)
        {
            Message = $"Revision {outcome.Value!.Revision} issued; it can no longer change.";
            var origin = await db.Set<SupplierAudit>().AsNoTracking().Where(a => a.Id == id).Select(a => new { a.OriginAssessmentId, a.ReviewDecisionId }).SingleAsync(cancellationToken);
            if (origin.OriginAssessmentId is not null)
            {
                Message += origin.ReviewDecisionId is not null && reviewDecision is null
                    ? " The review this audit was planned from has its audit step completed with these findings; the assessment waits for a reviewer's decision."
                    : " The review this audit was planned from is not changed by this revision (its audit step was already completed).";
            }

            return RedirectToPage(new { id, revision = outcome.Value.Revision });
        }

        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        ModelState.AddOutcomeErrors(outcome);

        return await LoadAsync(id, null, cancellationToken) ? Page() : NotFound();
    }

    private IActionResult? Refusal(bool write)
    {
        if (AuditAccess.IsSupplierUser(User))
        {
            return write ? NotFound() : null;
        }

        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        return (write ? AuditAccess.CanAudit(User) : AuditAccess.CanView(User)) ? null : Forbid();
    }

    private async Task<bool> LoadAsync(Guid id, int? revision, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (audit is null)
        {
            return false;
        }

        Audit = audit;
        Revisions = await db.Set<AuditReport>().AsNoTracking().Where(r => r.AuditId == id).OrderBy(r => r.Revision).ToListAsync(cancellationToken);
        Shown = revision is { } wanted ? Revisions.FirstOrDefault(r => r.Revision == wanted) : Revisions.LastOrDefault();
        if (revision is not null && Shown is null)
        {
            return false;
        }

        if (Shown is not null)
        {
            Snapshot = IssueReportHandler.Read(Shown);
            IssuedByName = await db.Users.Where(u => u.Id == Shown.IssuedBy).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
        }

        CanIssue = !AuditAccess.IsSupplierUser(User) && audit.FindingsReleasedAt is not null
            && await AuditTeamHandler.IsAssignedAsync(db, id, AuditAccess.UserId(User), cancellationToken);
        return true;
    }
}
