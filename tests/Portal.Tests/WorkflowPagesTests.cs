using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Portal.Features.Admin;
using SupplierAssure.TestSupport;
using SupplierAssure.Workflows.Deadlines;
using WorkflowCore.Models;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The administrator's workflow pages (instances, retry, terminate, policy versions) and the notifications people
/// see in the Portal and by e-mail.
/// </summary>
public sealed class WorkflowPagesTests : IDisposable
{
    private const string AdminEmail = "admin@workflows.example";
    private readonly PortalFactory _portal = new PortalFactory().With("Notifications:EmailInterval", "01:00:00");

    [Fact]
    public async Task AdminPage_ListsDeadlineInstances_TerminateNeedsReasonAndIsAuditLogged()
    {
        await _portal.CreateUserAsync(AdminEmail, Roles.Administrator);
        using var admin = await PortalSession.SignInAsync(_portal, AdminEmail);
        // The engine starts a questionnaire-deadline instance for every open demo questionnaire when it starts.
        var instanceId = await WaitForInstanceAsync(DemoData.CalderaAssessmentId);

        var (listed, list) = await admin.GetPageAsync($"/Admin/Workflows?Type={QuestionnaireDeadlineWorkflow.DefinitionId}&State=Runnable&Supplier={DemoData.CalderaSupplierId}");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var rows = list.QuerySelectorAll("[data-testid=instances] tbody tr");
        var row = Assert.Single(rows);
        Assert.Contains("Caldera", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector($"a[href='/Admin/Workflows/{instanceId}']"));
        var (badPage, badList) = await admin.GetPageAsync("/Admin/Workflows?PageNumber=0");
        Assert.Equal(HttpStatusCode.OK, badPage.StatusCode);
        Assert.Contains("Page numbers start at 1.", badList.QuerySelector(".field-error")?.TextContent, StringComparison.Ordinal);

        var (_, detail) = await admin.GetPageAsync($"/Admin/Workflows/{instanceId}");
        Assert.Contains("answers-due", detail.QuerySelector("[data-testid=steps]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Runnable", detail.QuerySelector("[data-testid=status]")!.TextContent);

        using (var retried = await admin.PostFormAsync($"/Admin/Workflows/{instanceId}?handler=Retry", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        }

        using (var noReason = await admin.PostFormAsync($"/Admin/Workflows/{instanceId}?handler=Terminate", new Dictionary<string, string> { ["Reason"] = "  " }))
        {
            Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
            Assert.Contains("Give the reason for terminating this instance.", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(WorkflowStatus.Runnable, await StatusAsync(instanceId));
        using (var terminated = await admin.PostFormAsync($"/Admin/Workflows/{instanceId}?handler=Terminate", new Dictionary<string, string> { ["Reason"] = "Supplier offboarded; no reminders wanted." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, terminated.StatusCode);
        }

        Assert.Equal(WorkflowStatus.Terminated, await StatusAsync(instanceId));
        var (_, after) = await admin.GetPageAsync($"/Admin/Workflows/{instanceId}");
        Assert.Equal("Terminated", after.QuerySelector("[data-testid=status]")!.TextContent);
        Assert.Null(after.QuerySelector("form[action*='handler=Terminate']"));

        await using var db = _portal.CreateDbContext();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Subject == $"workflow:{instanceId}").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([WorkflowAuditKinds.Retried, WorkflowAuditKinds.Terminated], entries.Select(e => e.Kind));
        Assert.Contains("Supplier offboarded; no reminders wanted.", entries[1].Details, StringComparison.Ordinal);
        Assert.Equal(AdminEmail, entries[1].Actor);
        Assert.Equal(DemoData.CalderaSupplierId, entries[1].SupplierId);
        Assert.True((await _portal.Services.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task PolicyPage_PublishesVersionsWithFieldErrorsForBadInput()
    {
        await _portal.CreateUserAsync(AdminEmail, Roles.Administrator);
        using var admin = await PortalSession.SignInAsync(_portal, AdminEmail);
        var (_, page) = await admin.GetPageAsync("/Admin/WorkflowsPolicy");
        Assert.Contains("version 0", page.QuerySelector("[data-testid=current-version]")!.TextContent, StringComparison.Ordinal);

        var fields = Fields(WorkflowPolicy.Default);
        fields["ReminderDaysBefore"] = "7, soon";
        fields["MajorImplementationDays"] = "5";
        using (var bad = await admin.PostFormAsync("/Admin/WorkflowsPolicy", fields))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            Assert.Contains("&#x27;soon&#x27; is not a whole number of days", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        fields["ReminderDaysBefore"] = "14, 3";
        using (var tooShort = await admin.PostFormAsync("/Admin/WorkflowsPolicy", fields))
        {
            Assert.Contains("Implementation cannot be due before the action plan.", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        fields["MajorImplementationDays"] = "45";
        using (var ok = await admin.PostFormAsync("/Admin/WorkflowsPolicy", fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        await using var db = _portal.CreateDbContext();
        var current = await new WorkflowPolicyStore(db, TimeProvider.System).CurrentAsync(CancellationToken.None);
        Assert.Equal(1, current.Version);
        Assert.Equal([14, 3], current.ReminderDaysBefore);
        Assert.Equal(45, current.Major.ImplementationDays);
        // Version 0 stays readable for instances that started under it.
        Assert.Equal(60, (await new WorkflowPolicyStore(db, TimeProvider.System).GetAsync(0, CancellationToken.None)).Major.ImplementationDays);
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync(e => e.Kind == WorkflowAuditKinds.PolicyPublished));
    }

    [Fact]
    public async Task Notifications_EachAudienceSeesItsOwn_EmailSentOnceAndInboxCounts()
    {
        await using (var db = _portal.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            NotificationOutbox.Add(db, new NotificationDraft("test:meridian:reminder", NotificationKind.Reminder, "Meridian reminder", "Due soon.", "/Inbox",
                DemoData.MeridianSupplierId, DemoData.MeridianSupplierId, null, now.AddDays(7), null), now);
            NotificationOutbox.Add(db, new NotificationDraft("test:caldera:reminder", NotificationKind.Reminder, "Caldera reminder", "Due soon.", null,
                DemoData.CalderaSupplierId, DemoData.CalderaSupplierId, null, now.AddDays(7), null), now);
            NotificationOutbox.Add(db, new NotificationDraft("test:procurement:escalation", NotificationKind.Escalation, "Meridian is late", "Overdue.", null,
                DemoData.MeridianSupplierId, null, Roles.ProcurementManager, now.AddDays(-1), null), now);
            await db.SaveChangesAsync();

            // The key is unique: the same occurrence cannot be stored twice.
            NotificationOutbox.Add(db, new NotificationDraft("test:meridian:reminder", NotificationKind.Reminder, "again", "again", null,
                DemoData.MeridianSupplierId, DemoData.MeridianSupplierId, null, null, null), now);
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        using var supplier = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (_, own) = await supplier.GetPageAsync("/Notifications");
        var text = own.QuerySelector("[data-testid=notifications]")!.TextContent;
        Assert.Contains("Meridian reminder", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Caldera reminder", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Meridian is late", text, StringComparison.Ordinal);
        var (_, inbox) = await supplier.GetPageAsync("/Inbox");
        Assert.StartsWith("1 unread", inbox.QuerySelector("[data-testid=inbox-notifications]")!.TextContent.Trim(), StringComparison.Ordinal);
        using (var read = await supplier.PostFormAsync("/Notifications?handler=ReadAll", new Dictionary<string, string>(), tokenFrom: "/Notifications"))
        {
            Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        }

        (_, inbox) = await supplier.GetPageAsync("/Inbox");
        Assert.StartsWith("0 unread", inbox.QuerySelector("[data-testid=inbox-notifications]")!.TextContent.Trim(), StringComparison.Ordinal);

        using var procurement = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, staff) = await procurement.GetPageAsync("/Notifications");
        var staffText = staff.QuerySelector("[data-testid=notifications]")!.TextContent;
        Assert.Contains("Meridian is late", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("Meridian reminder", staffText, StringComparison.Ordinal);

        // E-mail copies: each notification to its audience's confirmed addresses, once, however often the mailer runs.
        var mailer = _portal.Services.GetRequiredService<NotificationMailer>();
        await mailer.SendPendingAsync(50, CancellationToken.None);
        await mailer.SendPendingAsync(50, CancellationToken.None);
        var mail = _portal.SentMail().Where(m => m.Subject is "Meridian reminder" or "Caldera reminder" or "Meridian is late").ToList();
        Assert.Single(mail, m => m.Subject == "Meridian reminder" && m.To == DemoData.SupplierUserEmail);
        Assert.Single(mail, m => m.Subject == "Caldera reminder" && m.To == DemoData.OtherSupplierUserEmail);
        Assert.Single(mail, m => m.Subject == "Meridian is late" && m.To == DemoData.ProcurementUserEmail);
        Assert.Contains("/Inbox", mail.Single(m => m.Subject == "Meridian reminder").Text, StringComparison.Ordinal);
    }

    public void Dispose() => _portal.Dispose();

    private static Dictionary<string, string> Fields(WorkflowPolicy p) => new()
    {
        ["ReminderDaysBefore"] = string.Join(", ", p.ReminderDaysBefore),
        ["EscalationDaysAfter"] = $"{p.EscalationDaysAfter}",
        ["MajorActionPlanDays"] = $"{p.Major.ActionPlanDays}",
        ["MajorImplementationDays"] = $"{p.Major.ImplementationDays}",
        ["MajorVerificationDays"] = $"{p.Major.VerificationDays}",
        ["MajorReworkDays"] = $"{p.Major.ReworkDays}",
        ["MinorActionPlanDays"] = $"{p.Minor.ActionPlanDays}",
        ["MinorImplementationDays"] = $"{p.Minor.ImplementationDays}",
        ["MinorVerificationDays"] = $"{p.Minor.VerificationDays}",
        ["MinorReworkDays"] = $"{p.Minor.ReworkDays}",
        ["QuestionnaireAnswerDays"] = $"{p.QuestionnaireAnswerDays}",
        ["CredentialReverificationDays"] = $"{p.CredentialReverificationDays}",
        ["CredentialExpiryWarningDays"] = $"{p.CredentialExpiryWarningDays}",
    };

    [Fact]
    public async Task AdminPage_OffersEveryWorkflowType_AndFiltersCredentialMonitoringBySupplier()
    {
        await _portal.CreateUserAsync(AdminEmail, Roles.Administrator);
        using var admin = await PortalSession.SignInAsync(_portal, AdminEmail);
        var credentialId = Guid.NewGuid();
        await using (var db = _portal.CreateDbContext())
        {
            db.Credentials.Add(new Core.Credentials.Credential
            {
                Id = credentialId, SupplierId = DemoData.MeridianSupplierId, Type = Core.Credentials.CredentialType.TapaFsr, Number = "FSR-2026-0042", Level = "A",
                ValidUntil = DateTimeOffset.UtcNow.AddYears(2), SubmittedBy = "test-partner", SubmittedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        // The sweep (at engine start, then every few minutes) starts the credential's watch; run it now.
        await _portal.Services.GetRequiredService<Workflows.Hosting.DeadlineSweeper>().SweepAsync(CancellationToken.None);
        var (listed, list) = await admin.GetPageAsync($"/Admin/Workflows?Type={Workflows.Credentials.CredentialMonitoringWorkflow.DefinitionId}&Supplier={DemoData.MeridianSupplierId}");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var options = list.QuerySelectorAll("select[name=Type] option").Select(o => o.GetAttribute("value") ?? string.Empty).Where(v => v.Length > 0).ToList();
        Assert.Equal(WorkflowsModel.Types, options);
        Assert.Contains("onboarding", options);
        Assert.Contains("exclusion-revalidation", options);
        var row = Assert.Single(list.QuerySelectorAll("[data-testid=instances] tbody tr"));
        Assert.Contains("Meridian", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(Workflows.Credentials.CredentialMonitoringWorkflow.DefinitionId, row.TextContent, StringComparison.Ordinal);

        var (_, other) = await admin.GetPageAsync($"/Admin/Workflows?Type={Workflows.Credentials.CredentialMonitoringWorkflow.DefinitionId}&Supplier={DemoData.CalderaSupplierId}");
        Assert.Empty(other.QuerySelectorAll("[data-testid=instances] tbody tr"));
    }

    private async Task<string> WaitForInstanceAsync(Guid assessmentId)
    {
        var reference = assessmentId.ToString("D");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = _portal.CreateDbContext();
            var id = await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == QuestionnaireDeadlineWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).FirstOrDefaultAsync();
            if (id is not null)
            {
                return id.Value.ToString("D");
            }

            Assert.True(DateTime.UtcNow < deadline, "No questionnaire-deadline instance was started for the demo questionnaire.");
            await Task.Delay(100);
        }
    }

    private async Task<WorkflowStatus> StatusAsync(string instanceId)
    {
        await using var db = _portal.CreateDbContext();
        var key = Guid.Parse(instanceId);
        return (WorkflowStatus)await db.Set<PersistedWorkflow>().AsNoTracking().Where(w => w.Id == key).Select(w => w.Status).SingleAsync();
    }
}
