using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
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
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
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
