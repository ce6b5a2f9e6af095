using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Features.Reviews;

/// <summary>The review queue: scored submissions with their score, findings and open questions, filtered by state.</summary>
[Authorize(Roles = ReviewRoles.Reviewers)]
public sealed class IndexModel(ReviewQueue queue) : PageModel
{
    public IReadOnlyList<ReviewQueueRow> Rows { get; private set; } = [];

    /// <summary>The state filter; an unknown value shows every queued state.</summary>
    public AssessmentState? State { get; private set; }

    public async Task OnGetAsync(string? state, CancellationToken cancellationToken)
    {
        State = Enum.TryParse<AssessmentState>(state, ignoreCase: true, out var parsed) && ReviewQueue.States.Contains(parsed) ? parsed : null;
        Rows = await queue.ListAsync(State, cancellationToken);
    }
}

/// <summary>Who reviews: the roles that may read the review file, comment on answers and decide.</summary>
public static class ReviewRoles
{
    public const string Reviewers = $"{Roles.SecurityReviewer},{Roles.ProcurementManager},{Roles.RiskOwner},{Roles.Administrator}";
}
