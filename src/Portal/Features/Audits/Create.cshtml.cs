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
/// Creates an audit of one supplier, led by the auditor (or administrator) filling in the form, who declares here
/// their independence of the supplier. A declared conflict refuses the audit with the reason and saves nothing.
/// </summary>
[Authorize]
public sealed class CreateModel(SupplierAssureDbContext db, CreateAuditHandler create) : PageModel
{
    public string SupplierName { get; private set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public Guid SupplierId { get; set; }

    /// <summary>
    /// The assessment whose review routed it to audit, when the audit is planned from /Reviews/{id}/Audit: the form
    /// starts from <see cref="ReviewAuditPlan"/>'s suggestion and the audit keeps the assessment as its origin.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public Guid? FromAssessment { get; set; }

    /// <summary>The suggestion the form started from (GET) or the origin's details (POST); null for an ordinary audit.</summary>
    public AuditPlanSuggestion? Origin { get; private set; }

    [BindProperty(SupportsGet = true)]
    public AuditType? Type { get; set; }

    [BindProperty]
    public string? Objectives { get; set; }

    [BindProperty]
    public string? ScopeSites { get; set; }

    /// <summary>The supplier's sites in use, offered as scope choices next to the free-text field.</summary>
    public IReadOnlyList<Core.Suppliers.SupplierSiteRow> Sites { get; private set; } = [];

    /// <summary>The recorded sites ticked for the scope; they go into the audit's sites before what was typed.</summary>
    [BindProperty]
    public List<string> SiteChoices { get; set; } = [];

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

        if (FromAssessment is { } origin)
        {
            Origin = await ReviewAuditPlan.SuggestAsync(db, origin, cancellationToken);
            if (Origin is null)
            {
                var supplier = await db.Assessments.AsNoTracking().Where(a => a.Id == origin).Select(a => (Guid?)a.SupplierId).SingleOrDefaultAsync(cancellationToken);
                if (supplier is null)
                {
                    return NotFound();
                }

                SupplierId = supplier.Value;
                FromAssessment = null;
                ModelState.AddModelError(string.Empty, "That assessment is no longer waiting for an audit, so this is an ordinary audit, not linked to its review.");
            }
            else
            {
                SupplierId = Origin.SupplierId;
                Type = Origin.Type;
                Objectives = Origin.Objectives;
                ScopeProcesses = Origin.ScopeProcesses;
                CriteriaClauses = Origin.CriteriaClauses.Replace(",", ", ", StringComparison.Ordinal);
            }
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
            SupplierId, AuditAccess.UserId(User), Type, Objectives, ScopeWithChoices(), ScopeProcesses, ScopeModes, CriteriaClauses, OwnRequirements,
            Declaration == "independent",
            conflict ? (string.IsNullOrWhiteSpace(ConflictNote) ? "Conflict of interest declared." : ConflictNote) : null)
        {
            OriginAssessmentId = FromAssessment,
        }, cancellationToken);
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = FromAssessment is null
                    ? "Audit created. Propose times for the visit, or ask other auditors to join."
                    : "Audit created from the review. Its first issued report completes the review's audit step. Propose times for the visit, or ask other auditors to join.";
                return RedirectToPage("/Audits/Details", new { id = outcome.Value!.Id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                ModelState.AddOutcomeErrors(outcome);

                if (FromAssessment is { } planned)
                {
                    Origin = await ReviewAuditPlan.SuggestAsync(db, planned, cancellationToken);
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
        if (name is not null)
        {
            Sites = [.. (await Core.Suppliers.SupplierProfileSections.SitesAsync(db, SupplierId, cancellationToken)).Where(s => !s.IsRetired)];
        }

        return name is not null;
    }

    /// <summary>
    /// The ticked sites (only labels of this supplier's recorded sites count) followed by the typed text, one field
    /// for the audit as before; the handler's length check then applies to the whole.
    /// </summary>
    private string? ScopeWithChoices()
    {
        var known = Sites.Select(s => s.Label).ToHashSet(StringComparer.Ordinal);
        var parts = SiteChoices.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (!string.IsNullOrWhiteSpace(ScopeSites))
        {
            parts.Add(ScopeSites.Trim());
        }

        return parts.Count == 0 ? ScopeSites : string.Join("; ", parts);
    }
}
