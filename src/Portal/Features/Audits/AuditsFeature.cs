using System.Security.Claims;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Email;
using SupplierAssure.Workflows.Remediation;

namespace SupplierAssure.Portal.Features.Audits;

public static class AuditsFeature
{
    /// <summary>Second-party audits: programme, creation, team, scheduling handshake, checklist, findings, invitations.</summary>
    public static IHostApplicationBuilder AddAuditsFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<CreateAuditHandler>();
        builder.Services.AddScoped<AuditTeamHandler>();
        builder.Services.AddScoped<SchedulingHandler>();
        builder.Services.AddScoped<RunAuditHandler>();
        builder.Services.AddScoped<IssueReportHandler>();
        builder.Services.AddScoped<VisitInviteBuilder>();
        builder.Services.AddScoped<AuditProgrammeQuery>();
        builder.Services.AddScoped<AuditMail>();
        builder.Services.AddScoped<OscalExporter>();
        builder.Services.AddScoped<AuditFileStager>();
        builder.Services.AddScoped<EvidenceRequestsHandler>();
        builder.Services.AddScoped<OfflineRoundTripHandler>();
        builder.Services.AddScoped<RescheduleHandler>();
        return builder;
    }
}

/// <summary>
/// Who may do what on the audit pages. Operator staff: administrators, auditors and procurement managers see audits
/// (procurement only reads); security reviewers and risk owners are refused (403). Supplier users (admin or
/// contributor) see their own organisation's audits through the tenant filter; any other id is 404, as is every
/// audit for a signed-in user with no role.
/// </summary>
public static class AuditAccess
{
    public static bool IsSupplierUser(ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == PortalClaims.SupplierId) && (user.IsInRole(Roles.SupplierAdmin) || user.IsInRole(Roles.SupplierContributor));

    public static bool IsStaff(ClaimsPrincipal user) => !user.HasClaim(c => c.Type == PortalClaims.SupplierId) && Roles.OperatorStaff.Any(user.IsInRole);

    /// <summary>Staff who see audits: administrators, auditors, procurement managers.</summary>
    public static bool CanView(ClaimsPrincipal user) =>
        IsStaff(user) && (user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.ProcurementManager));

    /// <summary>Staff who create audits and lead them: auditors and administrators.</summary>
    public static bool CanAudit(ClaimsPrincipal user) => IsStaff(user) && (user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Auditor));

    public static Guid UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public static AuditActor Actor(ClaimsPrincipal user) => new(
        UserId(user),
        IsStaff(user) && user.IsInRole(Roles.Administrator),
        Guid.TryParse(user.FindFirstValue(PortalClaims.SupplierId), out var supplierId) ? supplierId : null);
}

/// <summary>
/// After a visit is confirmed: the .ics invitation by e-mail to every assigned auditor and every confirmed user of
/// the supplier. After the closing meeting: the remediation workflows of the cases it opened.
/// </summary>
public sealed partial class AuditMail(
    VisitInviteBuilder invites,
    IPortalEmailSender email,
    WorkflowRemediationStarter remediations,
    SupplierAssure.Workflows.Audits.VisitReminderStarter reminders,
    ILogger<AuditMail> logger)
{
    public async Task<int> SendInvitationAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var invitation = await invites.BuildAsync(auditId, cancellationToken);
        if (invitation is null)
        {
            return 0;
        }

        await SendAsync(invitation, "REQUEST", cancellationToken);
        await StartRemindersAsync(auditId, cancellationToken);
        return invitation.Recipients.Count;
    }

    /// <summary>After a confirmed visit is withdrawn for rescheduling: the .ics cancellation to everyone the invitation went to.</summary>
    public async Task<int> SendCancellationAsync(VisitRescheduled rescheduled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rescheduled);
        var cancellation = await invites.BuildCancellationAsync(rescheduled.Audit.Id, rescheduled.CancelledStart, rescheduled.CancelledEnd, rescheduled.Reason, cancellationToken);
        if (cancellation is null)
        {
            return 0;
        }

        await SendAsync(cancellation, "CANCEL", cancellationToken);
        return cancellation.Recipients.Count;
    }

    private async Task SendAsync(VisitInvitation message, string method, CancellationToken cancellationToken)
    {
        var attachment = new EmailAttachment(message.FileName, $"text/calendar; method={method}; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(message.Calendar));
        foreach (var recipient in message.Recipients)
        {
            await email.SendAsync(recipient.Email, message.Subject, message.Text, attachment, cancellationToken);
        }
    }

    /// <summary>The reminder watch of the visit just confirmed; the deadline sweep starts it later if this fails.</summary>
    private async Task StartRemindersAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var start = await invites.VisitStartAsync(auditId, cancellationToken);
        if (start is null)
        {
            return;
        }

        try
        {
            await reminders.StartAsync(auditId, start.Value, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRemindersFailed(ex, auditId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the visit reminders of audit {AuditId} failed; the deadline sweeper will start them.")]
    private partial void LogRemindersFailed(Exception exception, Guid auditId);

    public async Task StartRemediationsAsync(IReadOnlyList<Guid> remediationIds, CancellationToken cancellationToken)
    {
        foreach (var id in remediationIds)
        {
            try
            {
                await remediations.StartAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The case is committed; the deadline sweeper starts any open case without a workflow at its next
                // pass, so a failed start here only delays the reminders. Logged so an operator can see why.
                LogStartFailed(ex, id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the remediation workflow of case {RemediationId} failed; the deadline sweeper will start it.")]
    private partial void LogStartFailed(Exception exception, Guid remediationId);
}
