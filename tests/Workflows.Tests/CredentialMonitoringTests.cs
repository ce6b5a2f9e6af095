using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Credentials;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Credential monitoring under a moved clock: verified when the watch starts, re-verified on the policy interval
/// (90 days in the shipped policy), warned 60 days before expiry, and an approved supplier suspended (one feed row)
/// when its verified credential is withdrawn or expires; restarts in between send nothing twice.
/// </summary>
public sealed class CredentialMonitoringTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly LogSink _logs = new();
    private readonly LogSink _firstLogs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private readonly ScriptedRegistry _registry = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
        await using var db = _database.CreateContext();
        await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AssuranceStatus, AssuranceStatus.Approved));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task VerifiedAtStart_ReverifiedOnPolicyInterval_WithdrawalSuspendsOnceAcrossRestart()
    {
        var credentialId = await AddCredentialAsync("DEAEOF1234567", _clock.GetUtcNow().AddDays(400));
        string instanceId;
        using (var first = Build(_firstLogs))
        {
            await first.StartAsync();
            await WaitUntilAsync(async () => await StateAsync(credentialId) == VerificationState.Verified, "the credential is verified when its watch starts");
            instanceId = await InstanceOfAsync(credentialId);
            Assert.Equal(1, _registry.Calls);
            await WaitForSleepAsync(first, instanceId, _clock.GetUtcNow().UtcDateTime);

            // A month on, the watch wakes (hourly at most) but the registry is not asked before the policy's 90 days.
            _clock.Advance(TimeSpan.FromDays(30));
            await WaitForSleepAsync(first, instanceId, _clock.GetUtcNow().UtcDateTime);
            Assert.Equal(1, _registry.Calls);
            await first.StopAsync();
        }

        _registry.Verdict = new RegistryVerdict(VerificationState.NotFoundInRegistry, "The registry lists no such authorisation any more.");
        _clock.Advance(TimeSpan.FromDays(60) + TimeSpan.FromMinutes(1));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitUntilAsync(async () => await StatusAsync() == AssuranceStatus.Suspended, "the withdrawal suspends the approved supplier");
            await WaitForCompleteAsync(instanceId);
            Assert.Equal(2, _registry.Calls);
            await second.StopAsync();
        }

        using (var third = Build())
        {
            await third.StartAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(500)); // a few polls: nothing may run again
            await third.StopAsync();
        }

        var feed = await FeedRowsAsync("DEAEOF1234567");
        var row = Assert.Single(feed);
        Assert.Equal((AssuranceStatus.Approved, AssuranceStatus.Suspended), (row.PreviousStatus, row.NewStatus));
        Assert.Contains("withdrawn", row.Reason, StringComparison.Ordinal);
        var notes = await NotificationsAsync(credentialId);
        Assert.Equal([$"credential:{credentialId:N}:withdrawn", $"credential:{credentialId:N}:withdrawn:supplier"], notes.Select(n => n.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Roles.ProcurementManager, notes.Single(n => n.Key.EndsWith(":withdrawn", StringComparison.Ordinal)).AudienceRole);
        Assert.Equal(DemoData.MeridianSupplierId, notes.Single(n => n.Key.EndsWith(":supplier", StringComparison.Ordinal)).AudienceSupplierId);
        Assert.Equal(2, _registry.Calls);
        AssertOnlyShutdownNoise();
    }

    [Fact]
    public async Task ExpiryWarnedOnceBeforeEndDate_AcrossRestart_ThenExpirySuspends()
    {
        var validUntil = _clock.GetUtcNow().AddDays(70);
        var credentialId = await AddCredentialAsync("NLAEOS7654321", validUntil);
        string instanceId;
        using (var first = Build(_firstLogs))
        {
            await first.StartAsync();
            await WaitUntilAsync(async () => await StateAsync(credentialId) == VerificationState.Verified, "the credential is verified");
            instanceId = await InstanceOfAsync(credentialId);
            Assert.Empty(await NotificationsAsync(credentialId));

            // The clock moves only once the watch sleeps: the engine sets a sleep's end from the clock when the step
            // returns, so a move between the verification's save and that return would push the timer past the warning
            // (seen once in CI under load, the warnings never came).
            await WaitForSleepAsync(first, instanceId, _clock.GetUtcNow().UtcDateTime);

            // The shipped policy warns 60 days before the end date: to the supplier's users and to procurement.
            _clock.Advance(validUntil.AddDays(-60) - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await NotificationsAsync(credentialId)).Count == 2, "the expiry warnings");
            await WaitForSleepAsync(first, instanceId, _clock.GetUtcNow().UtcDateTime);
            await first.StopAsync();
        }

        // A restart while the warning is the latest due moment sends nothing again.
        _clock.Advance(TimeSpan.FromHours(2));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitForSleepAsync(second, instanceId, _clock.GetUtcNow().UtcDateTime);
            var warnings = await NotificationsAsync(credentialId);
            Assert.Equal(["procurement", "supplier"], warnings.Select(n => n.Key[(n.Key.LastIndexOf(':') + 1)..]).Order(StringComparer.Ordinal));
            Assert.All(warnings, n => Assert.Equal(NotificationKind.Reminder, n.Kind));
            Assert.Equal(StatusBefore, await StatusAsync());
            await second.StopAsync();
        }

        _clock.Advance(validUntil - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        using (var third = Build())
        {
            await third.StartAsync();
            await WaitForCompleteAsync(instanceId);
            await third.StopAsync();
        }

        Assert.Equal(AssuranceStatus.Suspended, await StatusAsync());
        var row = Assert.Single(await FeedRowsAsync("NLAEOS7654321"));
        Assert.Contains("expired", row.Reason, StringComparison.Ordinal);
        Assert.Equal(4, (await NotificationsAsync(credentialId)).Count);
        AssertOnlyShutdownNoise();
    }

    [Fact]
    public async Task RegistryWithoutAnswer_LeavesCredential_AsksAgainInAnHour_MissingRegistry_AtThePolicyInterval()
    {
        var credentialId = await AddCredentialAsync("FRAEOC1112223", _clock.GetUtcNow().AddDays(400));
        var now = _clock.GetUtcNow();
        await using (var db = _database.CreateContext())
        {
            var check = await new CredentialMonitor(db, [new UnavailableRegistry()], _clock).CheckAsync(credentialId, 0, null, null, CancellationToken.None);
            Assert.True(check.Open);
            Assert.Contains("registry is down", check.RegistryProblem, StringComparison.Ordinal);
            Assert.Equal(now + CredentialMonitor.RegistryRetryDelay, new DateTimeOffset(check.Watch.NextVerificationTicks, TimeSpan.Zero));
            Assert.Equal(now + CredentialMonitor.RegistryRetryDelay, check.NextMoment);
        }

        Assert.Equal(VerificationState.Unverified, await StateAsync(credentialId));
        await using (var db = _database.CreateContext())
        {
            var check = await new CredentialMonitor(db, [], _clock).CheckAsync(credentialId, 0, null, null, CancellationToken.None);
            Assert.Contains("No credential registry for EuAeo", check.RegistryProblem, StringComparison.Ordinal);
            Assert.Equal(now.AddDays(90), new DateTimeOffset(check.Watch.NextVerificationTicks, TimeSpan.Zero));
        }

        Assert.Empty(await FeedRowsAsync("FRAEOC1112223"));
        Assert.Empty(await NotificationsAsync(credentialId));
    }

    // Each host is stopped while its engine may be mid-poll; WorkflowCore logs that cancelled work as errors
    // (shutdown noise, see docs/workflows.md), so anything else logged as an error fails the test.
    private void AssertOnlyShutdownNoise() =>
        Assert.True(_logs.Errors.Concat(_firstLogs.Errors).All(e => e.Contains("TaskCanceledException", StringComparison.Ordinal) || e.Contains("OperationCanceledException", StringComparison.Ordinal) || e.Contains("ObjectDisposedException", StringComparison.Ordinal)), _logs.All + _firstLogs.All);

    private const AssuranceStatus StatusBefore = AssuranceStatus.Approved;

    private IHost Build(LogSink? logs = null) => EngineHost.Build(_database, logs ?? _logs, configure: s =>
    {
        s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
        s.AddSingleton<ICredentialRegistry>(_registry);
    });

    private async Task<Guid> AddCredentialAsync(string number, DateTimeOffset validUntil)
    {
        await using var db = _database.CreateContext();
        var credential = new Credential
        {
            Id = Guid.NewGuid(),
            SupplierId = DemoData.MeridianSupplierId,
            Type = CredentialType.EuAeo,
            Number = number,
            ValidFrom = _clock.GetUtcNow().AddYears(-1),
            ValidUntil = validUntil,
            SubmittedBy = "test-partner",
            SubmittedAt = _clock.GetUtcNow(),
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return credential.Id;
    }

    private async Task<VerificationState> StateAsync(Guid credentialId)
    {
        await using var db = _database.CreateContext();
        return await db.Credentials.Where(c => c.Id == credentialId).Select(c => c.VerificationState).SingleAsync();
    }

    private async Task<AssuranceStatus> StatusAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId).Select(s => s.AssuranceStatus).SingleAsync();
    }

    private async Task<List<StatusChange>> FeedRowsAsync(string number)
    {
        await using var db = _database.CreateContext();
        return (await db.StatusChanges.AsNoTracking().Where(c => c.SupplierId == DemoData.MeridianSupplierId).ToListAsync())
            .Where(c => c.Reason.Contains(number, StringComparison.Ordinal)).ToList();
    }

    private async Task<List<Notification>> NotificationsAsync(Guid credentialId)
    {
        await using var db = _database.CreateContext();
        var prefix = $"credential:{credentialId:N}:";
        return await db.Set<Notification>().AsNoTracking().Where(n => n.Key.StartsWith(prefix)).ToListAsync();
    }

    private async Task<string> InstanceOfAsync(Guid credentialId)
    {
        await using var db = _database.CreateContext();
        var reference = credentialId.ToString("D");
        return (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == CredentialMonitoringWorkflow.DefinitionId && w.Reference == reference)
            .Select(w => w.Id).SingleAsync()).ToString("D");
    }

    private Task WaitForCompleteAsync(string instanceId) =>
        WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            return await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(instanceId) && w.Status == (int)WorkflowStatus.Complete);
        }, "the watch ends");

    private Task WaitForSleepAsync(IHost host, string instanceId, DateTime after) =>
        WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<Persistence.EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            return instance.ExecutionPointers.Any(p => p.Active && p.SleepUntil > after);
        }, "the watch sleeps on its next timer");

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) => EngineHost.WaitUntilAsync(condition, what, _logs, Patience);

    private sealed class UnavailableRegistry : ICredentialRegistry
    {
        public string Name => "down-registry";

        public bool Handles(CredentialType type) => true;

        public Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken) =>
            throw new RegistryUnavailableException("The registry is down for maintenance.");
    }

    /// <summary>A registry that answers what the test says and counts the questions (the port's real adapters are the gateway's, tested there).</summary>
    private sealed class ScriptedRegistry : ICredentialRegistry
    {
        private int _calls;

        public RegistryVerdict Verdict { get; set; } = new(VerificationState.Verified, "Listed by the registry.");

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "scripted-registry";

        public bool Handles(CredentialType type) => type == CredentialType.EuAeo;

        public Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(Verdict);
        }
    }
}
