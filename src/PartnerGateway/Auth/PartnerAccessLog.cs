using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// Records which supplier a partner client read, and when, for the supplier to see in the Portal. Reads only queue
/// an entry; a background writer saves them in batches, so logging adds no database round trip to a look-up.
/// </summary>
/// <remarks>
/// Nothing is dropped on purpose: when the queue is full (the database far behind) a read waits for room before its
/// answer is sent, so a partner never receives data whose reading was not recorded; a batch whose save fails is
/// tried again with growing pauses, and given up (with an error logged naming the count) only after
/// <see cref="SaveAttempts"/> tries, or three at shutdown.
/// </remarks>
// Note: entries still queued in memory when the process dies are lost (a crash between the answer and the batch
// write, at most one batch interval); writing each entry before answering would put a database write on every read.
public sealed partial class PartnerAccessLog(IDbContextFactory<SupplierAssureDbContext> contexts, TimeProvider clock, ILogger<PartnerAccessLog> logger) : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 1_000;

    /// <summary>Tries per batch before its entries are given up as lost.</summary>
    internal const int SaveAttempts = 8;

    private volatile bool _stopping;

    private readonly Channel<PartnerAccess> _queue = Channel.CreateBounded<PartnerAccess>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>
    /// Queues the entry; completes at once unless the queue is full, and then when there is room (or throws when
    /// <paramref name="cancellationToken"/>, the call's, is cancelled first: the call then answers nothing).
    /// </summary>
    public ValueTask RecordAsync(PartnerCaller caller, Guid supplierId, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var entry = new PartnerAccess { SupplierId = supplierId, ClientId = caller.ClientId, Operation = operation, AccessedAt = clock.GetUtcNow() };
        return _queue.Writer.TryWrite(entry) ? ValueTask.CompletedTask : WaitForRoomAsync(entry, cancellationToken);
    }

    private async ValueTask WaitForRoomAsync(PartnerAccess entry, CancellationToken cancellationToken)
    {
        LogQueueFull(logger, entry.ClientId, Capacity);
        await _queue.Writer.WriteAsync(entry, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PartnerAccess>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: save what is queued before the host goes (a failing save gets three tries, not eight).
            _stopping = true;
            await DrainAsync(batch, CancellationToken.None);
        }
    }

    private async Task DrainAsync(List<PartnerAccess> batch, CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
            if (batch.Count == BatchSize)
            {
                await SaveAsync(batch, cancellationToken);
            }
        }

        if (batch.Count > 0)
        {
            await SaveAsync(batch, cancellationToken);
        }
    }

    private async Task SaveAsync(List<PartnerAccess> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A fresh context per try: a failed SaveChanges leaves its entities tracked in a bad state.
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                db.PartnerAccesses.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                batch.Clear();
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
            {
                if (attempt >= (_stopping ? 3 : SaveAttempts))
                {
                    LogSaveFailed(logger, ex, batch.Count, attempt);
                    batch.Clear();
                    return;
                }

                // 0.2, 0.4, 0.8 ... 12.8 s: about 25 s in all before a batch is given up.
                var pause = TimeSpan.FromMilliseconds(100 << attempt);
                LogSaveRetry(logger, ex, batch.Count, attempt, pause.TotalSeconds);
                await Task.Delay(pause, clock, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner access log queue full ({Capacity} entries): a read by {ClientId} waits for the writer.")]
    private static partial void LogQueueFull(ILogger logger, string clientId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving {Count} partner access log entries failed (try {Attempt}); trying again in {Seconds} s.")]
    private static partial void LogSaveRetry(ILogger logger, Exception exception, int count, int attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving {Count} partner access log entries failed {Attempts} times; they are lost.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count, int attempts);
}
