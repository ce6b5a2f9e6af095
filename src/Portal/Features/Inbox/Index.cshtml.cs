using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Features.Inbox;

public sealed record InboxItem(Guid AssessmentId, string Supplier, AssessmentState State, DateOnly DueDate, DateTimeOffset? Since, bool Overdue);

/// <summary>
/// What waits on the signed-in person. Operator staff: assessments waiting for a review decision, audits in progress
/// and overdue questionnaires. Supplier users: their questionnaires still to answer (including returned ones). The
/// tenant-scoped context decides whose rows are visible; the roles decide which lists are shown.
/// </summary>
[Authorize]
public sealed class IndexModel(SupplierAssureDbContext db, TimeProvider clock) : PageModel
{
    public bool IsOperatorStaff { get; private set; }
    public IReadOnlyList<InboxItem> Reviews { get; private set; } = [];
    public IReadOnlyList<InboxItem> Audits { get; private set; } = [];
    public IReadOnlyList<InboxItem> ToAnswer { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsOperatorStaff = User.IsInRole(Roles.SecurityReviewer) || User.IsInRole(Roles.ProcurementManager)
            || User.IsInRole(Roles.RiskOwner) || User.IsInRole(Roles.Auditor) || User.IsInRole(Roles.Administrator);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var states = IsOperatorStaff
            ? new[] { AssessmentState.UnderReview, AssessmentState.Audit, AssessmentState.Issued, AssessmentState.InProgress }
            : [AssessmentState.Issued, AssessmentState.InProgress];
        var rows = await db.Assessments.AsNoTracking()
            .Where(a => states.Contains(a.State))
            .OrderBy(a => a.DueDate)
            .Select(a => new { a.Id, Supplier = a.Supplier!.LegalName, a.State, a.DueDate, a.ScoredAt })
            .ToListAsync(cancellationToken);
        var items = rows.ConvertAll(r => new InboxItem(r.Id, r.Supplier, r.State, r.DueDate, r.ScoredAt, r.DueDate < today));
        Reviews = items.Where(i => i.State == AssessmentState.UnderReview).OrderBy(i => i.Since).ToList();
        Audits = items.Where(i => i.State == AssessmentState.Audit).OrderBy(i => i.Since).ToList();
        // Operator staff only need the questionnaires that are late; a supplier needs all it still has to answer.
        ToAnswer = items.Where(i => i.State is AssessmentState.Issued or AssessmentState.InProgress && (!IsOperatorStaff || i.Overdue)).ToList();
    }
}
