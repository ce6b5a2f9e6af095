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
/// Running an audit (operator staff only): the ten steps in order with their records, and the graded findings.
/// Assigned auditors write; administrators, other auditors and procurement read.
/// </summary>
[Authorize]
public sealed class RunModel(SupplierAssureDbContext db, RunAuditHandler run, AuditMail mail) : PageModel
{
    public SupplierAudit Audit { get; private set; } = null!;
    public string SupplierName { get; private set; } = string.Empty;
    public IReadOnlyList<AuditStep> Steps { get; private set; } = [];
    public IReadOnlyList<AuditFinding> Findings { get; private set; } = [];
    public bool IsAssigned { get; private set; }

    /// <summary>The step a failed post was about, so its text comes back as typed.</summary>
    public int? PostedStep { get; private set; }

    [BindProperty]
    public string? Records { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public AuditGrade? Grade { get; set; }

    [BindProperty]
    public string? Evidence { get; set; }

    [BindProperty]
    public string? Site { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        Refusal(write: false) ?? (await LoadAsync(id, cancellationToken) ? Page() : NotFound());

    public async Task<IActionResult> OnPostStepAsync(Guid id, int number, bool complete, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var outcome = await run.SaveStepAsync(new SaveStepRequest(id, AuditAccess.Actor(User), number, Records, complete), cancellationToken);
        if (outcome.Succeeded)
        {
            await mail.StartRemediationsAsync(outcome.Value!.OpenedRemediations, cancellationToken);
            var title = AuditSteps.Get(number).Title;
            Message = !complete
                ? $"Step {number} ({title}) saved."
                : number == AuditSteps.ClosingMeeting
                    ? $"Closing meeting recorded: the findings are visible to the supplier and {outcome.Value.OpenedRemediations.Count} remediation case(s) opened."
                    : $"Step {number} ({title}) completed.";
            return RedirectToPage(new { id });
        }

        PostedStep = number;
        return await ShowErrorsAsync(id, outcome, cancellationToken);
    }

    public async Task<IActionResult> OnPostFindingAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var outcome = await run.RecordFindingAsync(new RecordFindingRequest(id, AuditAccess.Actor(User), Reference, Grade, Evidence, Site), cancellationToken);
        if (outcome.Succeeded)
        {
            Message = $"{AuditDisplay.Grade(outcome.Value!.Grade)} recorded against {outcome.Value.Reference}.";
            return RedirectToPage(new { id });
        }

        return await ShowErrorsAsync(id, outcome, cancellationToken);
    }

    private IActionResult? Refusal(bool write)
    {
        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        return (write ? AuditAccess.CanAudit(User) : AuditAccess.CanView(User)) ? null : Forbid();
    }

    private async Task<IActionResult> ShowErrorsAsync(Guid id, Outcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        ModelState.AddOutcomeErrors(outcome);

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (audit is null)
        {
            return false;
        }

        Audit = audit;
        SupplierName = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        Steps = await db.Set<AuditStep>().AsNoTracking().Where(s => s.AuditId == id).OrderBy(s => s.Number).ToListAsync(cancellationToken);
        Findings = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == id).OrderBy(f => f.RecordedAt).ToListAsync(cancellationToken);
        IsAssigned = await AuditTeamHandler.IsAssignedAsync(db, id, AuditAccess.UserId(User), cancellationToken);
        return true;
    }
}
