using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Portal.Features.Notifications;

namespace SupplierAssure.Portal.Features.Inbox;

public sealed record InboxItem(Guid AssessmentId, string Supplier, AssessmentState State, DateOnly DueDate, DateTimeOffset? Since, bool Overdue);

public sealed record RemediationItem(Guid Id, string Supplier, NonconformityGrade Grade, RemediationState State, string Finding, DateTimeOffset? DueAt, bool Overdue);

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

    /// <summary>Remediation steps this person acts on: plans and implementations (supplier), verifications (operator).</summary>
    public IReadOnlyList<RemediationItem> Remediation { get; private set; } = [];

    /// <summary>Reviews that can only be approved with a risk owner's acceptance (minor nonconformities open, no major).</summary>
    public IReadOnlyList<InboxItem> RiskAcceptance { get; private set; } = [];

    /// <summary>Remediation steps past their due date, whoever acts next (operator staff).</summary>
    public IReadOnlyList<RemediationItem> OverdueRemediation { get; private set; } = [];

    public int UnreadNotifications { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsOperatorStaff = User.IsInRole(Roles.SecurityReviewer) || User.IsInRole(Roles.ProcurementManager)
            || User.IsInRole(Roles.RiskOwner) || User.IsInRole(Roles.Auditor) || User.IsInRole(Roles.Administrator);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var states = IsOperatorStaff
            ? new[] { AssessmentState.UnderReview, AssessmentState.Audit, AssessmentState.Issued, AssessmentState.InProgress }
            : [AssessmentState.Issued, AssessmentState.InProgress, AssessmentState.Clarification];
        var rows = await db.Assessments.AsNoTracking()
            .Where(a => states.Contains(a.State))
            .OrderBy(a => a.DueDate)
            .Select(a => new { a.Id, Supplier = a.Supplier!.LegalName, a.State, a.DueDate, a.ScoredAt })
            .ToListAsync(cancellationToken);
        var items = rows.ConvertAll(r => new InboxItem(r.Id, r.Supplier, r.State, r.DueDate, r.ScoredAt, r.DueDate < today));
        Reviews = items.Where(i => i.State == AssessmentState.UnderReview).OrderBy(i => i.Since).ToList();
        Audits = items.Where(i => i.State == AssessmentState.Audit).OrderBy(i => i.Since).ToList();
        // Operator staff only need the questionnaires that are late; a supplier needs all it still has to answer.
        ToAnswer = items.Where(i => (i.State is AssessmentState.Issued or AssessmentState.InProgress && (!IsOperatorStaff || i.Overdue))
            || (i.State == AssessmentState.Clarification && !IsOperatorStaff)).ToList();

        var now = clock.GetUtcNow();
        var cases = (await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => r.State != RemediationState.Closed)
            .Join(db.Suppliers, r => r.SupplierId, s => s.Id, (r, s) => new { Case = r, Supplier = s.LegalName })
            .Join(db.Set<AssessmentFinding>(), x => x.Case.FindingId, f => f.Id, (x, f) => new { x.Case, x.Supplier, f.Summary })
            .ToListAsync(cancellationToken))
            .ConvertAll(x => new RemediationItem(x.Case.Id, x.Supplier, x.Case.Grade, x.Case.State, x.Summary, x.Case.CurrentDueAt, x.Case.CurrentDueAt < now))
            .OrderBy(r => r.DueAt).ToList();
        var verifies = User.IsInRole(Roles.Auditor) || User.IsInRole(Roles.SecurityReviewer) || User.IsInRole(Roles.Administrator);
        Remediation = IsOperatorStaff
            ? (verifies ? cases.Where(c => c.State == RemediationState.VerificationDue).ToList() : [])
            : cases.Where(c => c.State != RemediationState.VerificationDue).ToList();
        OverdueRemediation = IsOperatorStaff ? cases.Where(c => c.Overdue).ToList() : [];
        if (User.IsInRole(Roles.RiskOwner) || User.IsInRole(Roles.Administrator))
        {
            var reviewIds = Reviews.Select(r => r.AssessmentId).ToList();
            var open = await db.Set<AssessmentFinding>().AsNoTracking()
                .Where(f => reviewIds.Contains(f.AssessmentId) && f.State == AssessmentFindingState.Open)
                .GroupBy(f => f.AssessmentId)
                .Select(g => new
                {
                    g.Key,
                    Majors = g.Count(f => f.Grade == NonconformityGrade.MajorNonconformity),
                    Minors = g.Count(f => f.Grade == NonconformityGrade.MinorNonconformity),
                })
                .ToListAsync(cancellationToken);
            var needing = open.Where(o => o.Majors == 0 && o.Minors > 0).Select(o => o.Key).ToHashSet();
            RiskAcceptance = Reviews.Where(r => needing.Contains(r.AssessmentId)).ToList();
        }

        UnreadNotifications = await NotificationQueries.UnreadCountAsync(db, User, cancellationToken);
    }
}
