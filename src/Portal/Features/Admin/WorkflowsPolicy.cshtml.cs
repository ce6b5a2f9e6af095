using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Policies;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Admin;

/// <summary>
/// The workflow policy for administrators: the version in force, its history, and a form that publishes the next
/// version. Running instances keep the version they started with; the page says so.
/// </summary>
[Authorize(Roles = Roles.Administrator)]
public sealed class WorkflowsPolicyModel(WorkflowPolicyStore store, PortalAudit audit) : PageModel
{
    public WorkflowPolicy Current { get; private set; } = WorkflowPolicy.Default;

    public IReadOnlyList<WorkflowPolicyVersion> History { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty] public string? ReminderDaysBefore { get; set; }
    [BindProperty] public int EscalationDaysAfter { get; set; }
    [BindProperty] public int MajorActionPlanDays { get; set; }
    [BindProperty] public int MajorImplementationDays { get; set; }
    [BindProperty] public int MajorVerificationDays { get; set; }
    [BindProperty] public int MajorReworkDays { get; set; }
    [BindProperty] public int MinorActionPlanDays { get; set; }
    [BindProperty] public int MinorImplementationDays { get; set; }
    [BindProperty] public int MinorVerificationDays { get; set; }
    [BindProperty] public int MinorReworkDays { get; set; }
    [BindProperty] public int QuestionnaireAnswerDays { get; set; }
    [BindProperty] public int CredentialReverificationDays { get; set; }
    [BindProperty] public int CredentialExpiryWarningDays { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Fill(Current);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var reminders = ParseReminders();
        if (!ModelState.IsValid || reminders is null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var draft = new WorkflowPolicy(0, reminders, EscalationDaysAfter,
            new RemediationPeriods(MajorActionPlanDays, MajorImplementationDays, MajorVerificationDays, MajorReworkDays),
            new RemediationPeriods(MinorActionPlanDays, MinorImplementationDays, MinorVerificationDays, MinorReworkDays),
            QuestionnaireAnswerDays, CredentialReverificationDays, CredentialExpiryWarningDays);
        var by = Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        var outcome = await store.PublishAsync(draft, by, cancellationToken);
        if (!outcome.Succeeded)
        {
            ModelState.AddOutcomeErrors(outcome);

            await LoadAsync(cancellationToken);
            return Page();
        }

        await audit.RecordAsync(WorkflowAuditKinds.PolicyPublished, $"workflow-policy:{outcome.Value!.Version}", null, cancellationToken,
            $"Version {outcome.Value.Version} published");
        Message = $"Version {outcome.Value.Version} published. Workflows started from now on use it.";
        return RedirectToPage();
    }

    private List<int>? ParseReminders()
    {
        var parts = (ReminderDaysBefore ?? string.Empty).Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                ModelState.AddModelError(nameof(ReminderDaysBefore), $"'{part}' is not a whole number of days; separate the offsets with commas, e.g. 7, 1.");
                return null;
            }

            values.Add(days);
        }

        return values;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await store.CurrentAsync(cancellationToken);
        History = await store.HistoryAsync(cancellationToken);
    }

    private void Fill(WorkflowPolicy p)
    {
        ReminderDaysBefore = string.Join(", ", p.ReminderDaysBefore);
        EscalationDaysAfter = p.EscalationDaysAfter;
        (MajorActionPlanDays, MajorImplementationDays, MajorVerificationDays, MajorReworkDays) = (p.Major.ActionPlanDays, p.Major.ImplementationDays, p.Major.VerificationDays, p.Major.ReworkDays);
        (MinorActionPlanDays, MinorImplementationDays, MinorVerificationDays, MinorReworkDays) = (p.Minor.ActionPlanDays, p.Minor.ImplementationDays, p.Minor.VerificationDays, p.Minor.ReworkDays);
        QuestionnaireAnswerDays = p.QuestionnaireAnswerDays;
        CredentialReverificationDays = p.CredentialReverificationDays;
        CredentialExpiryWarningDays = p.CredentialExpiryWarningDays;
    }
}
