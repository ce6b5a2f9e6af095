using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.PartnerGateway.Streaming;
using SupplierAssure.TestSupport;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>The broadcaster's poll step on a real SQLite feed, driven by hand (no timer) with a fake clock.</summary>
public sealed class StatusFeedBroadcasterTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateDirectory(TestPaths.NewDataDirectory()).FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StatusFeedOptions _options = new() { SubscriberBufferBatches = 1, GapGracePeriod = TimeSpan.FromSeconds(5) };
    private Factory _contexts = null!;
    private StatusFeedBroadcaster _broadcaster = null!;

    public async Task InitializeAsync()
    {
        _contexts = new Factory(Path.Combine(_dataDirectory, "feed.db"));
        await using var db = _contexts.CreateDbContext();
        await db.Database.MigrateAsync();
        // The visibility cache is only invalidated here, never asked, so it needs no services behind it.
        var visibility = new WatchVisibilityCache(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), Options.Create(_options), _clock);
        _broadcaster = new StatusFeedBroadcaster(_contexts, visibility, Options.Create(_options), _clock, NullLogger<StatusFeedBroadcaster>.Instance);
    }

    public Task DisposeAsync()
    {
        _broadcaster.Dispose();
        TestPaths.TryDelete(_dataDirectory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Poll_NewRows_PublishedToSubscriberAfterItsStart()
    {
        await AppendAsync(1);
        await _broadcaster.PollOnceAsync(CancellationToken.None); // learns where the feed ends
        using var subscription = await _broadcaster.SubscribeAsync(CancellationToken.None);
        await AppendAsync(2);
        await AppendAsync(3);

        await _broadcaster.PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, subscription.StartSequence);
        Assert.True(subscription.Batches.TryRead(out var batch));
        Assert.Equal([2L, 3L], batch.Select(c => c.Sequence));
    }

    [Fact]
    public async Task Poll_SubscriberNotReading_IsCompletedAsOverflowedAndDropped()
    {
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        using var subscription = await _broadcaster.SubscribeAsync(CancellationToken.None);
        await AppendAsync(1);
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        await AppendAsync(2);

        await _broadcaster.PollOnceAsync(CancellationToken.None); // the buffer of one batch is still full

        Assert.True(subscription.Overflowed);
        Assert.Equal(0, _broadcaster.SubscriberCount);
        Assert.True(subscription.Batches.TryRead(out _)); // what was queued can still be read before completion
        Assert.True(subscription.Batches.Completion.IsCompleted);
    }

    [Fact]
    public async Task Poll_HoleInSequence_WaitsForItThenPassesOverAfterGracePeriod()
    {
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        using var subscription = await _broadcaster.SubscribeAsync(CancellationToken.None);
        await AppendAsync(1);
        await AppendAsync(3); // 2 is taken by a transaction that has not committed (or never will)

        await _broadcaster.PollOnceAsync(CancellationToken.None);
        Assert.True(subscription.Batches.TryRead(out var beforeHole));
        Assert.Equal([1L], beforeHole.Select(c => c.Sequence));

        _clock.Advance(TimeSpan.FromSeconds(4));
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        Assert.False(subscription.Batches.TryRead(out _));

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        Assert.True(subscription.Batches.TryRead(out var afterGrace));
        Assert.Equal([3L], afterGrace.Select(c => c.Sequence));
    }

    [Fact]
    public async Task Poll_HoleFilledWithinGracePeriod_DeliversInOrder()
    {
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        using var subscription = await _broadcaster.SubscribeAsync(CancellationToken.None);
        await AppendAsync(2);
        await _broadcaster.PollOnceAsync(CancellationToken.None);
        Assert.False(subscription.Batches.TryRead(out _));

        await AppendAsync(1); // the slower transaction commits
        await _broadcaster.PollOnceAsync(CancellationToken.None);

        Assert.True(subscription.Batches.TryRead(out var batch));
        Assert.Equal([1L, 2L], batch.Select(c => c.Sequence));
    }

    // Explicit sequences let a test make the holes that out-of-order commits make on SQL Server.
    private async Task AppendAsync(long sequence)
    {
        await using var db = _contexts.CreateDbContext();
        db.StatusChanges.Add(new StatusChange
        {
            Sequence = sequence,
            SupplierId = Guid.NewGuid(),
            PreviousStatus = AssuranceStatus.NotAssessed,
            NewStatus = AssuranceStatus.UnderReview,
            Reason = "test",
            OccurredAt = _clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    private sealed class Factory(string path) : IDbContextFactory<SupplierAssureDbContext>
    {
        public SupplierAssureDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
            SqliteSupplierAssureDbContext.Configure(options, $"Data Source={path}");
            return new SqliteSupplierAssureDbContext(options.Options);
        }
    }
}
