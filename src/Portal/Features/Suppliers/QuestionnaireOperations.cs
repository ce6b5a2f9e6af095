using System.Globalization;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>Audit-log kinds of procurement's questionnaire operations.</summary>
public static class QuestionnaireAuditKinds
{
    public const string Issued = "questionnaire.issued";
    public const string DueDateExtended = "questionnaire.due-date-extended";
    public const string ReminderSent = "questionnaire.reminder-sent";
}

/// <summary>Who did it: a signed-in person, or a procurement system's OAuth client.</summary>
public sealed record Actor(Guid? Id, string Name);

/// <summary>What an operation did, and the addresses the e-mail could not be delivered to.</summary>
public sealed record OperationResult(Outcome<QuestionnaireNotice> Outcome, IReadOnlyList<string> Undelivered)
{
    public QuestionnaireNotice? Notice => Outcome.Value;
}

/// <summary>
/// Procurement's questionnaire operations as the supplier page and the REST API both run them: the use case from
/// Core, then the e-mails to the supplier's contacts through the Portal's sender, then the audit entry. The change
/// is saved before any e-mail goes out, so a mail server that is down never undoes or half-writes it; the addresses
/// that failed are returned (and audited) so the caller can say so and send a reminder later.
/// </summary>
public sealed partial class QuestionnaireOperations(
    IssueQuestionnaireHandler handler,
    IPortalEmailSender email,
    AuditLog audit,
    ILogger<QuestionnaireOperations> logger)
{
    public async Task<OperationResult> IssueAsync(IssueQuestionnaireRequest request, Actor actor, string portalBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var outcome = await handler.IssueAsync(request, cancellationToken);
        if (outcome.Value is not { } notice)
        {
            return new(outcome, []);
        }

        var link = Link(portalBaseUrl, notice.AssessmentId);
        var undelivered = await SendAsync(notice, $"Security questionnaire for {notice.SupplierName}, due {IssueQuestionnaireHandler.Day(notice.DueDate)}",
            r => $"""
                Hello {r.DisplayName},

                {notice.SupplierName} has been asked to complete the security questionnaire "{notice.TemplateTitle}" (version {notice.TemplateVersion}).
                Please answer it and attach the evidence it asks for by {IssueQuestionnaireHandler.Day(notice.DueDate)}.

                Open it here after signing in: {link}

                You received this because you are a contact of {notice.SupplierName} in SupplierAssure.
                """, cancellationToken);
        await AuditAsync(QuestionnaireAuditKinds.Issued, actor, notice,
            $"Version {notice.TemplateVersion} of \"{notice.TemplateTitle}\" issued at {notice.Tier}, due {Iso(notice.DueDate)}; contacts told: {Addresses(notice, undelivered)}{Failed(undelivered)}.",
            cancellationToken);
        return new(outcome, undelivered);
    }

    public async Task<OperationResult> ExtendDueDateAsync(ExtendDueDateRequest request, Actor actor, string portalBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var outcome = await handler.ExtendDueDateAsync(request, cancellationToken);
        if (outcome.Value is not { } notice)
        {
            return new(outcome, []);
        }

        var reason = request.Reason!.Trim();
        var link = Link(portalBaseUrl, notice.AssessmentId);
        var undelivered = await SendAsync(notice, $"More time for your security questionnaire: now due {IssueQuestionnaireHandler.Day(notice.DueDate)}",
            r => $"""
                Hello {r.DisplayName},

                The due date of the security questionnaire "{notice.TemplateTitle}" for {notice.SupplierName} has moved from {IssueQuestionnaireHandler.Day(notice.PreviousDueDate!.Value)} to {IssueQuestionnaireHandler.Day(notice.DueDate)}.
                Reason given: {reason}

                Continue here after signing in: {link}
                """, cancellationToken);
        await AuditAsync(QuestionnaireAuditKinds.DueDateExtended, actor, notice,
            $"Due date moved from {Iso(notice.PreviousDueDate!.Value)} to {Iso(notice.DueDate)}. Reason: {reason}. Contacts told: {Addresses(notice, undelivered)}{Failed(undelivered)}.",
            cancellationToken);
        return new(outcome, undelivered);
    }

    public async Task<OperationResult> RemindAsync(Guid supplierId, Guid assessmentId, Actor actor, string portalBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var outcome = await handler.ReminderAsync(supplierId, assessmentId, cancellationToken);
        if (outcome.Value is not { } notice)
        {
            return new(outcome, []);
        }

        var link = Link(portalBaseUrl, notice.AssessmentId);
        var undelivered = await SendAsync(notice, $"Reminder: security questionnaire due {IssueQuestionnaireHandler.Day(notice.DueDate)}",
            r => $"""
                Hello {r.DisplayName},

                A reminder from the procurement team: the security questionnaire "{notice.TemplateTitle}" for {notice.SupplierName} is due on {IssueQuestionnaireHandler.Day(notice.DueDate)}.

                Continue here after signing in: {link}
                """, cancellationToken);
        await AuditAsync(QuestionnaireAuditKinds.ReminderSent, actor, notice,
            $"Reminder about the questionnaire due {Iso(notice.DueDate)}; contacts told: {Addresses(notice, undelivered)}{Failed(undelivered)}.", cancellationToken);
        return new(outcome, undelivered);
    }

    private async Task<List<string>> SendAsync(QuestionnaireNotice notice, string subject, Func<Recipient, string> body, CancellationToken cancellationToken)
    {
        var undelivered = new List<string>();
        foreach (var recipient in notice.Recipients)
        {
            try
            {
                await email.SendAsync(recipient.Email, subject, body(recipient), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is already saved; the failed address is reported to the caller and kept in the audit
                // entry rather than turning a saved change into an error page.
                LogUndelivered(ex, subject);
                undelivered.Add(recipient.Email);
            }
        }

        return undelivered;
    }

    private Task AuditAsync(string kind, Actor actor, QuestionnaireNotice notice, string details, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditRecord(kind, actor.Id, actor.Name, notice.SupplierId, $"assessment:{notice.AssessmentId:D}", details), cancellationToken);

    private static string Link(string baseUrl, Guid assessmentId) => $"{baseUrl.TrimEnd('/')}/Assessments/{assessmentId:D}";

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Addresses(QuestionnaireNotice notice, List<string> undelivered)
    {
        var told = notice.Recipients.Select(r => r.Email).Except(undelivered, StringComparer.OrdinalIgnoreCase).ToList();
        return told.Count == 0 ? "nobody" : string.Join(", ", told);
    }

    private static string Failed(List<string> undelivered) => undelivered.Count == 0 ? string.Empty : $"; not delivered to {string.Join(", ", undelivered)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail '{Subject}' could not be delivered to one recipient.")]
    private partial void LogUndelivered(Exception exception, string subject);
}
