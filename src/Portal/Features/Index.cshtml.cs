using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features;

/// <summary>
/// The start page: a supplier user sees their organisation's questionnaires; operator staff see the portfolio.
/// Both queries go through the tenant-scoped context, so the page needs no ownership checks of its own.
/// </summary>
public sealed class IndexModel(SupplierAssureDbContext db, TimeProvider clock, SupplierProfileQuery profiles) : PageModel
{
    public bool IsSupplier { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary>Supplier home: questionnaires still to answer whose due date has passed, most overdue first.</summary>
    public IReadOnlyList<AssessmentRow> Late { get; private set; } = [];

    /// <summary>Supplier home: questionnaires still to answer and not yet late, soonest first.</summary>
    public IReadOnlyList<AssessmentRow> Due { get; private set; } = [];

    /// <summary>Supplier home: open findings with a due date, soonest first.</summary>
    public IReadOnlyList<FindingRow> FindingsDue { get; private set; } = [];

    /// <summary>Supplier home: open corrective actions, soonest deadline first.</summary>
    public IReadOnlyList<CorrectiveActionRow> Actions { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<AssessmentRow> Assessments { get; private set; } = [];
    public IReadOnlyList<Supplier> Suppliers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsSupplier = User.HasClaim(c => c.Type == PortalClaims.SupplierId);
        Assessments = await db.Assessments.AsNoTracking()
            .OrderBy(a => a.DueDate)
            .Select(a => new AssessmentRow(a.Id, a.Template!.Title, a.Supplier!.LegalName, a.DueDate, a.State, a.OverallScore))
            .Take(200)
            .ToListAsync(cancellationToken);
        Now = clock.GetUtcNow();
        Today = DateOnly.FromDateTime(Now.UtcDateTime);
        if (IsSupplier)
        {
            var open = Assessments.Where(a => a.State is AssessmentState.Issued or AssessmentState.InProgress).ToList();
            Late = open.Where(a => a.DueDate < Today).ToList();
            Due = open.Where(a => a.DueDate >= Today).ToList();
            FindingsDue = await db.Set<Core.Findings.AssessmentFinding>().AsNoTracking()
                .Where(f => f.State == Core.Findings.AssessmentFindingState.Open && f.DueDate != null)
                .OrderBy(f => f.DueDate)
                .Take(200)
                .Select(f => new FindingRow(f.Id, f.AssessmentId, f.Grade, f.Reference, f.Summary, f.DueDate!.Value))
                .ToListAsync(cancellationToken);
            Actions = await profiles.CorrectiveActionsAsync(
                db.Set<Core.Remediation.RemediationCase>().Where(r => r.State != Core.Remediation.RemediationState.Closed), cancellationToken);
        }
        else
        {
            Suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Take(200).ToListAsync(cancellationToken);
        }
    }

    public sealed record AssessmentRow(Guid Id, string Title, string SupplierName, DateOnly DueDate, AssessmentState State, decimal? OverallScore);

    public sealed record FindingRow(Guid Id, Guid AssessmentId, Core.Findings.NonconformityGrade Grade, string? Reference, string Summary, DateOnly DueDate);
}
