using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Workflows.Admin;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Models;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>The kinds of audit entry the workflow administration pages write.</summary>
public static class WorkflowAuditKinds
{
    public const string Retried = "workflow.retried";
    public const string Terminated = "workflow.terminated";
    public const string PolicyPublished = "workflow-policy.published";
}

/// <summary>Workflow instances for administrators: filter by type, state and supplier; open one for its history.</summary>
[Authorize(Roles = Roles.Administrator)]
public sealed class WorkflowsModel(WorkflowAdministration admin, SupplierAssureDbContext db) : PageModel
{
    public static readonly IReadOnlyList<string> Types =
        [AssessmentReviewWorkflow.DefinitionId, RemediationWorkflow.DefinitionId, QuestionnaireDeadlineWorkflow.DefinitionId, ReassessmentWorkflow.DefinitionId,
            Workflows.Onboarding.OnboardingWorkflow.DefinitionId, Workflows.Credentials.CredentialMonitoringWorkflow.DefinitionId, ExclusionRevalidationWorkflow.DefinitionId];

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public WorkflowStatus? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Supplier { get; set; }

    // Not "page": Razor Pages keeps the page's own path in the route value of that name.
    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<WorkflowInstanceRow> Instances { get; private set; } = [];

    public int PageCount { get; private set; } = 1;

    public int Total { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Suppliers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Type is not null && !Types.Contains(Type))
        {
            ModelState.AddModelError(nameof(Type), "Choose one of the listed workflow types.");
            Type = null;
        }

        if (State is { } state && !Enum.IsDefined(state))
        {
            ModelState.AddModelError(nameof(State), "Choose one of the listed states.");
            State = null;
        }

        Suppliers = (await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Select(s => new { s.Id, s.LegalName }).ToListAsync(cancellationToken))
            .ConvertAll(s => (s.Id, s.LegalName));
        if (PageNumber < 1)
        {
            ModelState.AddModelError(nameof(PageNumber), "Page numbers start at 1.");
            PageNumber = 1;
        }

        var page = await admin.ListPageAsync(Type, State, Supplier, PageNumber, cancellationToken);
        (Instances, PageNumber, PageCount, Total) = (page.Rows, page.Page, page.PageCount, page.Total);
        return Page();
    }

    /// <summary>The list's address with the current filters and another page.</summary>
    public string PageLink(int page)
    {
        var query = new Dictionary<string, string?> { [nameof(PageNumber)] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (Type is not null)
        {
            query["Type"] = Type;
        }

        if (State is { } state)
        {
            query["State"] = state.ToString();
        }

        if (Supplier is { } supplier)
        {
            query["Supplier"] = supplier.ToString("D");
        }

        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Admin/Workflows", query);
    }
}
