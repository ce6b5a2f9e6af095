using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Audits;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A confirmed audit visit is watched from the sweep: under a moved clock the shipped policy's reminders (7 and 1 days
/// before) reach the supplier's users and each assigned auditor, in the Inbox and by e-mail, once each across an engine
/// restart; the watch ends when the visit starts.
/// </summary>
public sealed class VisitReminderTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private readonly Guid _auditId = Guid.NewGuid();
    private readonly Guid _auditorId = Guid.NewGuid();
    private readonly Guid _pendingAuditorId = Guid.NewGuid();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ConfirmedVisit_RemindersAtPolicyOffsets_ToSupplierAndTeam_InAppAndByEmail_OnceAcrossRestart()
    {
        Assert.Equal([7, 1], WorkflowPolicy.Default.ReminderDaysBefore);
        var visitStart = _clock.GetUtcNow().AddDays(10);
        await SeedAuditAsync(visitStart);
        var mail = new RecordingSender();
        string instanceId;
        using (var first = Build())
        {
            await first.StartAsync();
            instanceId = await InstanceAsync(visitStart);
            _clock.Advance(visitStart.AddDays(-7) - _clock.GetUtcNow() - TimeSpan.FromMinutes(1));
            await WaitForSleepAsync(first, instanceId);
            Assert.Empty(await NotificationsAsync());

            _clock.Advance(TimeSpan.FromMinutes(2));
            await WaitUntilAsync(async () => (await NotificationsAsync()).Count == 2, "the 7-day reminders to the supplier and the assigned auditor");
            await WaitForSleepAsync(first, instanceId);
            await new NotificationMailer(_database.Factory, mail, _clock).SendPendingAsync(500, CancellationToken.None);
            await first.StopAsync();
        }

        // A restart a few hours later: the watch resumes, nothing is sent again.
        _clock.Advance(TimeSpan.FromHours(3));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitForSleepAsync(second, instanceId);
            Assert.Equal(2, (await NotificationsAsync()).Count);

            _clock.Advance(visitStart.AddDays(-1) - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await NotificationsAsync()).Count == 4, "the 1-day reminders");
            await new NotificationMailer(_database.Factory, mail, _clock).SendPendingAsync(500, CancellationToken.None);

            _clock.Advance(TimeSpan.FromDays(1));
            await WaitUntilAsync(async () =>
            {
                await using var db = _database.CreateContext();
                return await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(instanceId) && w.Status == (int)WorkflowStatus.Complete);
            }, "the watch ends once the visit has started");
            await second.StopAsync();
        }

        var notes = await NotificationsAsync();
        var prefix7 = VisitReminders.KeyPrefix(_auditId, visitStart, 7);
        var prefix1 = VisitReminders.KeyPrefix(_auditId, visitStart, 1);
        Assert.Equal(
            new[] { $"{prefix1}:supplier", $"{prefix1}:user-{_auditorId:N}", $"{prefix7}:supplier", $"{prefix7}:user-{_auditorId:N}" },
            notes.Select(n => n.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.All(notes, n => Assert.Equal($"/Audits/{_auditId:D}", n.Link));
        Assert.All(notes.Where(n => n.Key.EndsWith(":supplier", StringComparison.Ordinal)), n => Assert.Equal(DemoData.OakridgeSupplierId, n.AudienceSupplierId));
        Assert.All(notes.Where(n => n.Key.Contains(":user-", StringComparison.Ordinal)), n => Assert.Equal(_auditorId, n.AudienceUserId));
        Assert.Contains(notes, n => n.Subject.Contains("in 7 days", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Subject.Contains("tomorrow", StringComparison.Ordinal));

        // One e-mail per reminder and person: the auditor and the supplier's contact, never the auditor who has not declared.
        var visitMails = mail.Sent.Where(m => m.Subject.StartsWith("Reminder: on-site audit", StringComparison.Ordinal)).Select(m => m.To).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ada.auditor@operator.test", "ada.auditor@operator.test", "dock@oakridge.test", "dock@oakridge.test"], visitMails);
    }

    private async Task SeedAuditAsync(DateTimeOffset visitStart)
    {
        await using var db = _database.CreateContext();
        var now = _clock.GetUtcNow();
        db.Users.Add(new ApplicationUser { Id = _auditorId, UserName = "ada.auditor@operator.test", Email = "ada.auditor@operator.test", EmailConfirmed = true, DisplayName = "Ada" });
        db.Users.Add(new ApplicationUser { Id = _pendingAuditorId, UserName = "pat.auditor@operator.test", Email = "pat.auditor@operator.test", EmailConfirmed = true, DisplayName = "Pat" });
        db.Users.Add(new ApplicationUser
        {
            Id = Guid.NewGuid(), UserName = "dock@oakridge.test", Email = "dock@oakridge.test", EmailConfirmed = true, DisplayName = "Dock", SupplierId = DemoData.OakridgeSupplierId,
        });
        db.Add(new SupplierAudit
        {
            Id = _auditId, SupplierId = DemoData.OakridgeSupplierId, Type = AuditType.OnSite, Objectives = "Check the seal controls.", ScopeSites = "Bonded warehouse",
            CriteriaClauses = "8", LeadAuditorId = _auditorId, State = AuditState.Scheduled, CreatedAt = now,
            VisitStart = visitStart, VisitEnd = visitStart.AddHours(6), VisitConfirmedAt = now, VisitConfirmedBy = _auditorId,
        });
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = _auditId, SupplierId = DemoData.OakridgeSupplierId, UserId = _auditorId, IsLead = true,
            Declaration = IndependenceDeclaration.Independent, DeclaredAt = now, AddedAt = now,
        });
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = _auditId, SupplierId = DemoData.OakridgeSupplierId, UserId = _pendingAuditorId, AddedAt = now,
        });
        await db.SaveChangesAsync();
    }

    private sealed class RecordingSender : INotificationEmailSender
    {
        public List<(string To, string Subject)> Sent { get; } = [];

        public Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken)
        {
            Sent.Add((to, subject));
            return Task.CompletedTask;
        }
    }

    private IHost Build() => EngineHost.Build(_database, _logs, configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private async Task<string> InstanceAsync(DateTimeOffset visitStart)
    {
        string? id = null;
        var reference = VisitReminders.Reference(_auditId, visitStart);
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            id = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == VisitReminderWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).SingleOrDefaultAsync())?.ToString("D");
            return id is not null;
        }, "the sweep starts the reminder watch of the confirmed visit");
        return id!;
    }

    private async Task<List<Notification>> NotificationsAsync()
    {
        await using var db = _database.CreateContext();
        var prefix = $"audit-visit:{_auditId:N}:";
        return await db.Set<Notification>().AsNoTracking().Where(n => n.Key.StartsWith(prefix)).ToListAsync();
    }

    private Task WaitForSleepAsync(IHost host, string instanceId)
    {
        var after = _clock.GetUtcNow().UtcDateTime;
        return WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<Persistence.EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            return instance.ExecutionPointers.Any(p => p.Active && p.SleepUntil > after);
        }, "the watch sleeps on its next timer");
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) => EngineHost.WaitUntilAsync(condition, what, _logs, TimeSpan.FromSeconds(60));
}
