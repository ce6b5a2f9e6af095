using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>One approval waiting for a risk owner, with the supplier it concerns.</summary>
public sealed record PendingResidualRisk(ResidualRiskAcceptance Proposal, string SupplierName);

/// <summary>The words the sign-off pages use for a proposed approval.</summary>
public static class ResidualRiskText
{
    public static string Proposed(ReviewOutcome outcome) =>
        outcome == ReviewOutcome.ConditionallyApprove ? "Conditional approval" : "Approval";

    /// <summary>A recorded decision in words, for the review page's list of decisions.</summary>
    public static string Decided(ReviewOutcome outcome) => outcome switch
    {
        ReviewOutcome.Approve => "Approved",
        ReviewOutcome.ConditionallyApprove => "Conditionally approved",
        ReviewOutcome.Reject => "Rejected",
        ReviewOutcome.Return => "Returned to the supplier for changes",
        ReviewOutcome.AuditCompleted => "Second-party audit completed",
        ReviewOutcome.ReturnForClarification => "Returned for clarification",
        _ => outcome.ToString(),
    };
}

/// <summary>
/// The risk owners' queue: approvals that reviewers proposed and that leave residual risk, oldest first, plus the
/// last sign-offs. Only the risk-owner role sees it (signing is theirs alone; see <see cref="ResidualRiskSignOffModel"/>).
/// </summary>
[Authorize(Roles = Core.Identity.Roles.RiskOwner)]
public sealed class ResidualRiskModel(SupplierAssureDbContext db) : PageModel
{
    public const int RecentCount = 20;

    public IReadOnlyList<PendingResidualRisk> Pending { get; private set; } = [];

    public IReadOnlyList<PendingResidualRisk> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = from p in db.Set<ResidualRiskAcceptance>().AsNoTracking()
                   join s in db.Suppliers.AsNoTracking() on p.SupplierId equals s.Id
                   select new { Proposal = p, s.LegalName };
        Pending = (await rows.Where(r => r.Proposal.State == ResidualRiskState.Pending).OrderBy(r => r.Proposal.ProposedAt).ToListAsync(cancellationToken))
            .Select(r => new PendingResidualRisk(r.Proposal, r.LegalName)).ToList();
        Recent = (await rows.Where(r => r.Proposal.State != ResidualRiskState.Pending).OrderByDescending(r => r.Proposal.SignedAt ?? r.Proposal.ProposedAt)
                .Take(RecentCount).ToListAsync(cancellationToken))
            .Select(r => new PendingResidualRisk(r.Proposal, r.LegalName)).ToList();
    }
}
