using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// Records which supplier a partner client read, and when, for the supplier to see in the Portal. Reads only queue
/// an entry; a background writer saves them in batches, so logging adds no database round trip to a look-up.
/// </summary>
// Note: entries still queued when the process dies are lost, and when the queue is full (the database far behind)
// new entries are dropped with an error logged, rather than slowing every partner call down to the writer's pace.
public sealed partial class PartnerAccessLog(IDbContextFactory<SupplierAssureDbContext> contexts, TimeProvider clock, ILogger<PartnerAccessLog> logger) : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 1_000;

    private readonly Channel<PartnerAccess> _queue = Channel.CreateBounded<PartnerAccess>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public void Record(PartnerCaller caller, Guid supplierId, string operation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var entry = new PartnerAccess { SupplierId = supplierId, ClientId = caller.ClientId, Operation = operation, AccessedAt = clock.GetUtcNow() };
        if (!_queue.Writer.TryWrite(entry))
        {
            LogDropped(logger, caller.ClientId, supplierId, operation);
        }
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
            // Shutting down: save what is queued before the host goes.
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
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.PartnerAccesses.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            LogSaveFailed(logger, ex, batch.Count);
        }
        finally
        {
            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Access log queue full: dropped {ClientId} reading {SupplierId} ({Operation}).")]
    private static partial void LogDropped(ILogger logger, string clientId, Guid supplierId, string operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving {Count} partner access log entries failed; they are lost.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count);
}
