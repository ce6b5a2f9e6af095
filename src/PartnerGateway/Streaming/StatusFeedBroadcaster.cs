using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Status;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Services;

namespace SupplierAssure.PartnerGateway.Streaming;

/// <summary>
/// The one reader of the status change feed in this process. It polls the database for rows after the last one it
/// published and hands each batch to every open watch stream, so a thousand watchers cost one query per interval,
/// not a thousand. The database stays the source of truth: any gateway instance can serve any stream, and a
/// stream catches up from the database (see <see cref="StatusWatch"/>) before it follows this broadcaster.
/// </summary>
public sealed partial class StatusFeedBroadcaster(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    WatchVisibilityCache visibility,
    IOptions<StatusFeedOptions> options,
    TimeProvider clock,
    ILogger<StatusFeedBroadcaster> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly HashSet<StatusFeedSubscription> _subscribers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _published = -1;
    private bool _stopped;
    private long? _gapAt;
    private DateTimeOffset _gapSeenAt;

    /// <summary>
    /// Starts receiving every batch published from now on. <see cref="StatusFeedSubscription.StartSequence"/> says
    /// up to which sequence the caller must read from the database itself: everything after it will arrive here.
    /// </summary>
    public async Task<StatusFeedSubscription> SubscribeAsync(CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var subscription = new StatusFeedSubscription(this, _published, options.Value.SubscriberBufferBatches);
            if (_stopped)
            {
                subscription.Complete(overflowed: false);
            }
            else
            {
                _subscribers.Add(subscription);
            }

            return subscription;
        }
    }

    internal int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    internal void Unsubscribe(StatusFeedSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        try
        {
            do
            {
                try
                {
                    await PollOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A database hiccup must not end the feed for every watcher; the next tick tries again from
                    // the same sequence, so nothing is lost.
                    LogPollFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            lock (_gate)
            {
                _stopped = true;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Complete(overflowed: false);
                }

                _subscribers.Clear();
            }
        }
    }

    /// <summary>Reads feed rows after the last published one and publishes the gap-free prefix of them.</summary>
    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (_published < 0)
        {
            // Streams read history from the database themselves; the broadcaster only carries what comes after.
            _published = await db.StatusChanges.MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? 0;
            _ready.TrySetResult();
            return;
        }

        var after = _published;
        var rows = await db.StatusChanges.AsNoTracking()
            .Where(c => c.Sequence > after)
            .OrderBy(c => c.Sequence)
            .Take(options.Value.PageSize)
            .ToListAsync(cancellationToken);
        var ready = TakeGapFree(rows);
        if (ready.Count == 0)
        {
            return;
        }

        // Each change becomes its wire message once, here, for every stream: a thousand watchers share one message
        // and one details query instead of building a thousand.
        var details = await SecurityStatusDetails.LoadAsync(db, [.. ready.Select(c => c.SupplierId)], cancellationToken);
        IReadOnlyList<FeedItem> items = [.. ready.Select(c => new FeedItem(c, SecurityStatusMapping.ToSecurityStatusChange(c, details[c.SupplierId])))];
        // Consents are read again (once per partner client, by the first of its streams to need them) after these
        // rows were: a consent revoked before a change was committed hides that change, with no refresh interval
        // to wait out. It costs one small query per client with open streams per published batch.
        visibility.InvalidateAll();
        lock (_gate)
        {
            _published = ready[^1].Sequence;
            foreach (var subscriber in _subscribers.Where(s => !s.TryPublish(items)).ToList())
            {
                // Too slow to keep up: it reads the rest from the database instead of holding up everyone else.
                subscriber.Complete(overflowed: true);
                _subscribers.Remove(subscriber);
            }
        }
    }

    // Rows up to the first hole in the sequence. A hole is waited for (a lower sequence may still commit) until the
    // grace period has passed; then it is taken to be a rolled-back insert and passed over.
    // Note: a transaction that commits its feed row later than the grace period is not delivered to open streams
    // nor to streams resuming after it; the period is set well above any write transaction's duration.
    private List<StatusChange> TakeGapFree(List<StatusChange> rows)
    {
        var ready = new List<StatusChange>(rows.Count);
        var expected = _published + 1;
        foreach (var row in rows)
        {
            if (row.Sequence != expected && !GapExpired(expected))
            {
                break;
            }

            ready.Add(row);
            expected = row.Sequence + 1;
        }

        if (ready.Count > 0 && _gapAt is { } gap && gap <= ready[^1].Sequence)
        {
            _gapAt = null;
        }

        return ready;
    }

    private bool GapExpired(long missing)
    {
        var now = clock.GetUtcNow();
        if (_gapAt != missing)
        {
            _gapAt = missing;
            _gapSeenAt = now;
        }

        if (now - _gapSeenAt < options.Value.GapGracePeriod)
        {
            return false;
        }

        LogGapSkipped(logger, missing);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the status change feed failed; retrying at the next poll.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status feed sequence {Sequence} did not appear within the grace period; passing over it.")]
    private static partial void LogGapSkipped(ILogger logger, long sequence);
}

/// <summary>A feed row and the message every stream allowed to see it sends (messages are not changed after building).</summary>
public sealed record FeedItem(StatusChange Change, SecurityStatusChange Message)
{
    public long Sequence => Change.Sequence;
}

/// <summary>One watch stream's place in the broadcast: a bounded queue of published batches.</summary>
public sealed class StatusFeedSubscription : IDisposable
{
    private readonly StatusFeedBroadcaster _owner;
    private readonly Channel<IReadOnlyList<FeedItem>> _batches;

    internal StatusFeedSubscription(StatusFeedBroadcaster owner, long startSequence, int capacity)
    {
        _owner = owner;
        StartSequence = startSequence;
        _batches = Channel.CreateBounded<IReadOnlyList<FeedItem>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The last sequence published before this subscription began; later rows arrive in <see cref="Batches"/>.</summary>
    public long StartSequence { get; }

    public ChannelReader<IReadOnlyList<FeedItem>> Batches => _batches.Reader;

    /// <summary>True when the stream fell too far behind and must catch up from the database again.</summary>
    public bool Overflowed { get; private set; }

    internal bool TryPublish(IReadOnlyList<FeedItem> batch) => _batches.Writer.TryWrite(batch);

    internal void Complete(bool overflowed)
    {
        Overflowed = overflowed;
        _batches.Writer.TryComplete();
    }

    public void Dispose() => _owner.Unsubscribe(this);
}
