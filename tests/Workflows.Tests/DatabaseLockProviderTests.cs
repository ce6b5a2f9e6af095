using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Persistence;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The database lock as several engine processes see it: each provider instance plays one process.</summary>
public sealed class DatabaseLockProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AcquireLock_HeldByAnotherProcess_ReturnsFalseUntilReleased()
    {
        var a = NewProcess();
        var b = NewProcess();

        Assert.True(await a.AcquireLock("wf-1", CancellationToken.None));
        Assert.False(await b.AcquireLock("wf-1", CancellationToken.None));
        Assert.False(await a.AcquireLock("wf-1", CancellationToken.None));
        Assert.True(await b.AcquireLock("wf-2", CancellationToken.None));

        await a.ReleaseLock("wf-1");

        Assert.True(await b.AcquireLock("wf-1", CancellationToken.None));
        Assert.Equal(2, await RowsOwnedByAsync(b.Owner));
    }

    [Fact]
    public async Task AcquireLock_HolderStopsRenewing_LeaseLapsesAndAnotherProcessTakesOver()
    {
        var a = NewProcess();
        var b = NewProcess();
        Assert.True(await a.AcquireLock("wf-1", CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(20));
        await a.RenewAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await b.AcquireLock("wf-1", CancellationToken.None)); // renewed: 10 s of lease left

        _clock.Advance(TimeSpan.FromSeconds(20)); // a is "dead": no renewal for a whole lease
        Assert.True(await b.AcquireLock("wf-1", CancellationToken.None));
        Assert.Equal(1, await RowsOwnedByAsync(b.Owner));

        await a.RenewAsync(CancellationToken.None);
        Assert.Contains(_logs.All.Split(Environment.NewLine), e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("lapsed", StringComparison.Ordinal));
        Assert.Equal(0, await RowsOwnedByAsync(a.Owner));
    }

    [Fact]
    public async Task Renew_LockReleasedWhileTheRenewalRuns_IsNotReportedAsLost()
    {
        var a = NewProcess();
        Assert.True(await a.AcquireLock("wf-1", CancellationToken.None));
        Assert.True(await a.AcquireLock("wf-2", CancellationToken.None));
        var heldWhenTheRenewalBegan = new List<string> { "wf-1", "wf-2" };
        await a.ReleaseLock("wf-2");

        _clock.Advance(TimeSpan.FromSeconds(20));
        await a.RenewAsync(heldWhenTheRenewalBegan, CancellationToken.None);

        Assert.DoesNotContain(_logs.All.Split(Environment.NewLine), e => e.Contains("lapsed", StringComparison.Ordinal));
        Assert.Equal(1, await RowsOwnedByAsync(a.Owner));
    }

    [Fact]
    public async Task AcquireLock_PollTimerLocks_StayInProcessAndWriteNothing()
    {
        var a = NewProcess();
        var b = NewProcess();

        Assert.True(await a.AcquireLock("poll runnables", CancellationToken.None));
        Assert.True(await b.AcquireLock("poll runnables", CancellationToken.None));
        Assert.False(await a.AcquireLock("poll runnables", CancellationToken.None));
        await a.ReleaseLock("poll runnables");
        Assert.True(await a.AcquireLock("poll runnables", CancellationToken.None));

        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Set<PersistedLock>().CountAsync());
    }

    [Fact]
    public async Task Stop_LocksHeld_ReleasesThemForOtherProcesses()
    {
        var a = NewProcess();
        var b = NewProcess();
        await a.Start();
        Assert.True(await a.AcquireLock("wf-1", CancellationToken.None));
        Assert.True(await a.AcquireLock("evt:1", CancellationToken.None));

        await a.Stop();

        Assert.True(await b.AcquireLock("wf-1", CancellationToken.None));
        Assert.True(await b.AcquireLock("evt:1", CancellationToken.None));
        Assert.Equal(0, await RowsOwnedByAsync(a.Owner));
    }

    [Fact]
    public async Task AcquireLock_ConcurrentProcesses_ExactlyOneWins()
    {
        var processes = Enumerable.Range(0, 8).Select(_ => NewProcess()).ToList();

        var results = await Task.WhenAll(processes.Select(p => Task.Run(() => p.AcquireLock("wf-race", CancellationToken.None))));

        Assert.Single(results, won => won);
    }

    private DatabaseLockProvider NewProcess() => new(
        _database.Factory,
        Options.Create(new WorkflowEngineOptions { LockLease = TimeSpan.FromSeconds(30) }),
        _clock,
        LoggerFactory.Create(b => b.AddProvider(_logs)).CreateLogger<DatabaseLockProvider>());

    private async Task<int> RowsOwnedByAsync(string owner)
    {
        await using var db = _database.CreateContext();
        return await db.Set<PersistedLock>().CountAsync(l => l.Owner == owner);
    }
}
