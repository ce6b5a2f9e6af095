using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// Creates an audit of one supplier, led by the auditor (or administrator) filling in the form, who declares here
/// their independence of the supplier. A declared conflict refuses the audit with the reason and saves nothing.
/// </summary>
[Authorize]
public sealed class CreateModel(SupplierAssureDbContext db, CreateAuditHandler create) : PageModel
{
    public string SupplierName { get; private set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public Guid SupplierId { get; set; }

    [BindProperty(SupportsGet = true)]
    public AuditType? Type { get; set; }

    [BindProperty]
    public string? Objectives { get; set; }

    [BindProperty]
    public string? ScopeSites { get; set; }

    [BindProperty]
    public string? ScopeProcesses { get; set; }

    [BindProperty]
    public string? ScopeModes { get; set; }

    [BindProperty]
    public string? CriteriaClauses { get; set; } = string.Join(", ", AuditCriteria.Clauses);

    [BindProperty]
    public string? OwnRequirements { get; set; }

    /// <summary>"independent" or "conflict".</summary>
    [BindProperty]
    public string? Declaration { get; set; }

    [BindProperty]
    public string? ConflictNote { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var conflict = Declaration == "conflict";
        var outcome = await create.HandleAsync(new CreateAuditRequest(
            SupplierId, AuditAccess.UserId(User), Type, Objectives, ScopeSites, ScopeProcesses, ScopeModes, CriteriaClauses, OwnRequirements,
            Declaration == "independent",
            conflict ? (string.IsNullOrWhiteSpace(ConflictNote) ? "Conflict of interest declared." : ConflictNote) : null), cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = "Audit created. Propose times for the visit, or ask other auditors to join.";
                return RedirectToPage("/Audits/Details", new { id = outcome.Value!.Id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                foreach (var (field, messages) in outcome.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field, message);
                    }
                }

                return Page();
        }
    }

    /// <summary>Supplier users and role-less users find nothing here; staff other than auditors and administrators are refused.</summary>
    private IActionResult? Refusal()
    {
        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        return AuditAccess.CanAudit(User) ? null : Forbid();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var name = await db.Suppliers.AsNoTracking().Where(s => s.Id == SupplierId).Select(s => s.LegalName).SingleOrDefaultAsync(cancellationToken);
        SupplierName = name ?? string.Empty;
        return name is not null;
    }
}
