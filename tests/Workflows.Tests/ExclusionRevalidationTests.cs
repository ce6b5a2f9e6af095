using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Deadlines;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// An Excluded supplier's exclusion comes back to procurement for confirmation on the tier policy's interval
/// (36 months in the shipped policy), once per period and across a restart; the watch ends when the tier changes.
/// </summary>
public sealed class ExclusionRevalidationTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    // Tomorrow 09:00 UTC: after the demo seed's own tier decisions (made on the system clock at seeding), so the
    // test's decision is the supplier's newest; "today 09:00" made both tests fail whenever they ran after 09:00 UTC.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(9), TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ExcludedSupplier_ProcurementAskedToConfirmAfterPolicyInterval_Once_EndsWhenTierChanges()
    {
        var decidedAt = _clock.GetUtcNow();
        var decisionId = Guid.NewGuid();
        await using (var db = _database.CreateContext())
        {
            await db.Suppliers.Where(s => s.Id == DemoData.OakridgeSupplierId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, SupplierTier.Excluded));
            db.TierDecisions.Add(new TierDecision
            {
                Id = decisionId, SupplierId = DemoData.OakridgeSupplierId, Tier = SupplierTier.Excluded, PreviousTier = SupplierTier.Tier2Significant,
                Source = TierDecisionSource.Override, Justification = "Supplies office stationery only.", PolicyVersion = TierPolicy.Default.Version, DecidedAt = decidedAt,
            });
            await db.SaveChangesAsync();
        }

        var months = TierPolicy.Default.ExcludedRevalidationMonths;
        string instanceId;
        using (var first = Build())
        {
            await first.StartAsync();
            instanceId = await InstanceAsync();
            // The clock moves only once the watch sleeps: a sleep's end is set from the clock when the step returns.
            await WaitForSleepAsync(first, instanceId);
            _clock.Advance(decidedAt.AddMonths(months).AddDays(-1) - _clock.GetUtcNow());
            await WaitForSleepAsync(first, instanceId);
            Assert.Empty(await NotificationsAsync());

            _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await NotificationsAsync()).Count == 1, "procurement is asked to confirm the exclusion");
            await WaitForSleepAsync(first, instanceId);
            await first.StopAsync();
        }

        _clock.Advance(TimeSpan.FromHours(2));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitForSleepAsync(second, instanceId);
            var request = Assert.Single(await NotificationsAsync());
            Assert.Equal($"exclusion:{DemoData.OakridgeSupplierId:N}:{decisionId:N}:revalidation", request.Key);
            Assert.Equal(Roles.ProcurementManager, request.AudienceRole);
            Assert.Equal($"/Suppliers/{DemoData.OakridgeSupplierId:D}/Tier", request.Link);

            await using (var db = _database.CreateContext())
            {
                await db.Suppliers.Where(s => s.Id == DemoData.OakridgeSupplierId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, SupplierTier.Tier3Standard));
            }

            _clock.Advance(TimeSpan.FromHours(2));
            await WaitUntilAsync(async () =>
            {
                await using var db = _database.CreateContext();
                return await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(instanceId) && w.Status == (int)WorkflowStatus.Complete);
            }, "the watch ends once the supplier is no longer excluded");
            await second.StopAsync();
        }

        Assert.Single(await NotificationsAsync());
    }

    [Fact]
    public async Task ExclusionNeverConfirmed_EscalatedToProcurementAfterThePolicyDelay_InAppAndByEmail_OnceAcrossRestart()
    {
        var decidedAt = _clock.GetUtcNow();
        var decisionId = Guid.NewGuid();
        await using (var db = _database.CreateContext())
        {
            await db.Suppliers.Where(s => s.Id == DemoData.OakridgeSupplierId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, SupplierTier.Excluded));
            db.TierDecisions.Add(new TierDecision
            {
                Id = decisionId, SupplierId = DemoData.OakridgeSupplierId, Tier = SupplierTier.Excluded, PreviousTier = SupplierTier.Tier2Significant,
                Source = TierDecisionSource.Override, Justification = "Supplies office stationery only.", PolicyVersion = TierPolicy.Default.Version, DecidedAt = decidedAt,
            });
            // Someone in procurement to e-mail (the mailer writes to every confirmed user in the audience role).
            var role = new IdentityRole<Guid> { Id = Guid.NewGuid(), Name = Roles.ProcurementManager, NormalizedName = Roles.ProcurementManager.ToUpperInvariant() };
            var user = new ApplicationUser { Id = Guid.NewGuid(), UserName = "buyer@operator.test", Email = "buyer@operator.test", EmailConfirmed = true };
            db.Roles.Add(role);
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<Guid> { RoleId = role.Id, UserId = user.Id });
            await db.SaveChangesAsync();
        }

        var dueAt = decidedAt.AddMonths(TierPolicy.Default.ExcludedRevalidationMonths);
        var escalation = $"exclusion:{DemoData.OakridgeSupplierId:N}:{decisionId:N}:escalation";
        var mail = new RecordingSender();
        string instanceId;
        using (var first = Build())
        {
            await first.StartAsync();
            instanceId = await InstanceAsync();
            await WaitForSleepAsync(first, instanceId);
            _clock.Advance(dueAt - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await NotificationsAsync()).Count == 1, "procurement is asked to confirm the exclusion");

            // Nobody records the tier; the shipped workflow policy escalates one day after the due date.
            await WaitForSleepAsync(first, instanceId);
            _clock.Advance(TimeSpan.FromDays(WorkflowPolicy.Default.EscalationDaysAfter));
            await WaitUntilAsync(async () => (await NotificationsAsync()).Any(n => n.Key == escalation), "the escalation to procurement");
            await WaitForSleepAsync(first, instanceId);
            // The mailer sends everything pending (the demo's questionnaires are overdue too by now); ours are two.
            await new NotificationMailer(_database.Factory, mail, _clock).SendPendingAsync(100, CancellationToken.None);
            Assert.Equal(2, ExclusionMails(mail).Count);
            await first.StopAsync();
        }

        _clock.Advance(TimeSpan.FromHours(3));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitForSleepAsync(second, instanceId);
            await new NotificationMailer(_database.Factory, mail, _clock).SendPendingAsync(100, CancellationToken.None);
            await second.StopAsync();
        }

        var notes = await NotificationsAsync();
        Assert.Equal(2, notes.Count);
        var escalated = Assert.Single(notes, n => n.Key == escalation);
        Assert.Equal(NotificationKind.Escalation, escalated.Kind);
        Assert.Equal(Roles.ProcurementManager, escalated.AudienceRole);
        Assert.Equal($"/Suppliers/{DemoData.OakridgeSupplierId:D}/Tier", escalated.Link);
        // After the restart nothing was sent again: still the request and the escalation, one e-mail each.
        Assert.Equal(["buyer@operator.test", "buyer@operator.test"], ExclusionMails(mail).Select(m => m.To));
        Assert.Contains(ExclusionMails(mail), m => m.Subject.StartsWith("Overdue: confirm the exclusion", StringComparison.Ordinal));
    }

    private static List<(string To, string Subject)> ExclusionMails(RecordingSender mail) =>
        mail.Sent.Where(m => m.Subject.Contains("onfirm the exclusion of", StringComparison.Ordinal)).ToList();

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

    private async Task<string> InstanceAsync()
    {
        string? id = null;
        var reference = DemoData.OakridgeSupplierId.ToString("D");
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            id = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == ExclusionRevalidationWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).SingleOrDefaultAsync())?.ToString("D");
            return id is not null;
        }, "the sweep starts a re-validation watch for the excluded supplier");
        return id!;
    }

    private async Task<List<Notification>> NotificationsAsync()
    {
        await using var db = _database.CreateContext();
        var prefix = $"exclusion:{DemoData.OakridgeSupplierId:N}:";
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
