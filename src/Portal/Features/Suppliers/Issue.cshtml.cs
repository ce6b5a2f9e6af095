using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// Procurement issues a questionnaire to one supplier: a published version that has questions for the supplier's
/// tier, a due date in the future and the contacts to tell. The rules live in <see cref="IssueQuestionnaireHandler"/>.
/// </summary>
[Authorize]
public sealed class IssueModel(SupplierAssureDbContext db, IssueQuestionnaireHandler handler, SupplierProfileQuery profiles, QuestionnaireOperations operations, TimeProvider clock) : PageModel
{
    public Guid SupplierId { get; private set; }
    public string SupplierName { get; private set; } = string.Empty;
    public SupplierTier Tier { get; private set; }
    public IReadOnlyList<IssuableTemplate> Templates { get; private set; } = [];
    public IReadOnlyList<SupplierContact> Contacts { get; private set; } = [];
    public (Guid Id, Core.Assessments.AssessmentState State, DateOnly DueDate)? Open { get; private set; }

    [BindProperty]
    public Guid? TemplateId { get; set; }

    [BindProperty]
    public DateOnly? DueDate { get; set; }

    [BindProperty]
    public List<Guid> ContactIds { get; set; } = [];

    public DateOnly Tomorrow => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        TemplateId = Templates.FirstOrDefault()?.Id;
        DueDate = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(30);
        ContactIds = [.. Contacts.Select(c => c.UserId)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        // A date the browser could not send as yyyy-mm-dd arrives as a model error and a null value; the handler
        // names the field, so the binder's own message is replaced by ours.
        ModelState.Clear();
        var result = await operations.IssueAsync(
            new IssueQuestionnaireRequest(id, TemplateId, DueDate, ContactIds),
            ActorOf(User), BaseUrl(Request), cancellationToken);
        switch (result.Outcome.Status)
        {
            case OutcomeStatus.Ok:
                var notice = result.Notice!;
                TempData["Message"] = $"Questionnaire issued, due {IssueQuestionnaireHandler.Day(notice.DueDate)}; " +
                    (result.Undelivered.Count == 0
                        ? $"{notice.Recipients.Count} contact(s) notified by e-mail."
                        : $"the e-mail could not be delivered to {string.Join(", ", result.Undelivered)}; send a reminder once mail works again.");
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

                return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    /// <summary>404 for anyone who is not operator staff (as on the supplier page); 403 for staff who do not do procurement.</summary>
    private IActionResult? Refusal() => Refuse(this);

    public static IActionResult? Refuse(PageModel page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!DetailsModel.IsOperatorStaff(page.User))
        {
            return page.NotFound();
        }

        return DetailsModel.IsProcurement(page.User) ? null : page.Forbid();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Id, s.LegalName, s.Tier }).SingleOrDefaultAsync(cancellationToken);
        if (supplier is null)
        {
            return false;
        }

        SupplierId = supplier.Id;
        SupplierName = supplier.LegalName;
        Tier = supplier.Tier;
        Templates = await handler.TemplatesForAsync(supplier.Tier, cancellationToken);
        Contacts = await profiles.ContactsAsync(supplier.Id, cancellationToken);
        Open = await handler.OpenAssessmentAsync(supplier.Id, cancellationToken);
        return true;
    }

    public static Actor ActorOf(ClaimsPrincipal user) =>
        new(Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown");

    // Note: links in e-mails use the host the request came in on, as the invitation e-mails do; the host filter
    // (AllowedHosts) is what keeps a forged Host header from putting another site's address in them.
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
