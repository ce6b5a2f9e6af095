using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Workflows.Admin;
using WorkflowCore.Models;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>
/// One workflow instance: its steps (execution pointers), its errors, and the two things an administrator may do:
/// retry (resume a suspended instance, or run a waiting step now) and terminate with a reason. Both are written to
/// the hash-chained audit log.
/// </summary>
[Authorize(Roles = Roles.Administrator)]
public sealed class WorkflowsInstanceModel(WorkflowAdministration admin, PortalAudit audit) : PageModel
{
    public const int MaxReasonLength = 500;

    public WorkflowInstanceDetail Detail { get; private set; } = null!;

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public bool CanRetry => Detail.Instance.Status is WorkflowStatus.Runnable or WorkflowStatus.Suspended;

    public bool CanTerminate => Detail.Instance.Status is WorkflowStatus.Runnable or WorkflowStatus.Suspended;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanRetry)
        {
            ModelState.AddModelError(string.Empty, $"A {Detail.Instance.Status} instance cannot be retried.");
            return Page();
        }

        var previous = Detail.Instance.Status;
        if (!await admin.RetryAsync(id, cancellationToken))
        {
            ModelState.AddModelError(string.Empty, "The engine is running this instance right now; try again in a moment.");
            return Page();
        }

        await audit.RecordAsync(WorkflowAuditKinds.Retried, $"workflow:{id}", Detail.Instance.SupplierId, cancellationToken,
            $"{Detail.Instance.Definition} v{Detail.Instance.Version} ({previous}) retried");
        Message = previous == WorkflowStatus.Suspended ? "Instance resumed." : "Instance set to run now.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostTerminateAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanTerminate)
        {
            ModelState.AddModelError(string.Empty, $"A {Detail.Instance.Status} instance cannot be terminated.");
            return Page();
        }

        var reason = Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            ModelState.AddModelError(nameof(Reason), "Give the reason for terminating this instance.");
            return Page();
        }

        if (reason.Length > MaxReasonLength)
        {
            ModelState.AddModelError(nameof(Reason), $"Keep the reason under {MaxReasonLength} characters.");
            return Page();
        }

        if (!await admin.TerminateAsync(id))
        {
            ModelState.AddModelError(string.Empty, "The instance could not be terminated; reload to see its state.");
            return Page();
        }

        await audit.RecordAsync(WorkflowAuditKinds.Terminated, $"workflow:{id}", Detail.Instance.SupplierId, cancellationToken,
            $"{Detail.Instance.Definition} v{Detail.Instance.Version} terminated: {reason}");
        Message = "Instance terminated.";
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var detail = await admin.GetAsync(id, cancellationToken);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        return true;
    }
}
