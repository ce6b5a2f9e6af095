using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>Procurement moves an open questionnaire's due date later (with a reason) or reminds the supplier now.</summary>
[Authorize]
public sealed class DeadlineModel(SupplierAssureDbContext db, QuestionnaireOperations operations, TimeProvider clock) : PageModel
{
    public Guid SupplierId { get; private set; }
    public Guid AssessmentId { get; private set; }
    public string SupplierName { get; private set; } = string.Empty;
    public string TemplateTitle { get; private set; } = string.Empty;
    public AssessmentState State { get; private set; }
    public DateOnly CurrentDueDate { get; private set; }

    [BindProperty]
    public DateOnly? NewDueDate { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool Overdue => CurrentDueDate < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(Guid id, Guid assessmentId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        return await LoadAsync(id, assessmentId, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostExtendAsync(Guid id, Guid assessmentId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        ModelState.Clear();
        var result = await operations.ExtendDueDateAsync(new ExtendDueDateRequest(id, assessmentId, NewDueDate, Reason),
            IssueModel.ActorOf(User), IssueModel.BaseUrl(Request), cancellationToken);
        return await AfterAsync(result, id, assessmentId,
            n => $"Due date moved from {IssueQuestionnaireHandler.Day(n.PreviousDueDate!.Value)} to {IssueQuestionnaireHandler.Day(n.DueDate)}", cancellationToken);
    }

    public async Task<IActionResult> OnPostRemindAsync(Guid id, Guid assessmentId, CancellationToken cancellationToken)
    {
        if (IssueModel.Refuse(this) is { } refused)
        {
            return refused;
        }

        ModelState.Clear();
        var result = await operations.RemindAsync(id, assessmentId, IssueModel.ActorOf(User), IssueModel.BaseUrl(Request), cancellationToken);
        return await AfterAsync(result, id, assessmentId, _ => "Reminder sent", cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(OperationResult result, Guid id, Guid assessmentId, Func<QuestionnaireNotice, string> done, CancellationToken cancellationToken)
    {
        switch (result.Outcome.Status)
        {
            case OutcomeStatus.Ok:
                var notice = result.Notice!;
                TempData["Message"] = $"{done(notice)}; " + (result.Undelivered.Count == 0
                    ? $"{notice.Recipients.Count} contact(s) told by e-mail."
                    : $"the e-mail could not be delivered to {string.Join(", ", result.Undelivered)}.");
                return Redirect($"/Suppliers/{id:D}");
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                foreach (var (field, messages) in result.Outcome.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field, message);
                    }
                }

                return await LoadAsync(id, assessmentId, cancellationToken) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id, Guid assessmentId, CancellationToken cancellationToken)
    {
        var row = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == assessmentId && a.SupplierId == id)
            .Select(a => new { a.SupplierId, a.Supplier!.LegalName, a.Template!.Title, a.State, a.DueDate })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return false;
        }

        SupplierId = row.SupplierId;
        AssessmentId = assessmentId;
        SupplierName = row.LegalName;
        TemplateTitle = row.Title;
        State = row.State;
        CurrentDueDate = row.DueDate;
        return true;
    }
}
