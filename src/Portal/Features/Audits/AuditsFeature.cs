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
    ILogger<AuditMail> logger)
{
    public async Task<int> SendInvitationAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var invitation = await invites.BuildAsync(auditId, cancellationToken);
        if (invitation is null)
        {
            return 0;
        }

        var attachment = new EmailAttachment(invitation.FileName, "text/calendar; method=REQUEST; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(invitation.Calendar));
        foreach (var recipient in invitation.Recipients)
        {
            await email.SendAsync(recipient.Email, invitation.Subject, invitation.Text, attachment, cancellationToken);
        }

        return invitation.Recipients.Count;
    }

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
