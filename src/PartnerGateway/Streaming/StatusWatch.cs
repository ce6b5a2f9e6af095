using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Auth;
using SupplierAssure.PartnerGateway.Services;

namespace SupplierAssure.PartnerGateway.Streaming;

/// <summary>
/// One WatchSecurityStatus stream. It subscribes to the broadcaster first, then reads from the database every
/// change after the client's cursor up to where the subscription begins, then follows the subscription. Every
/// change moves the cursor, seen or not, and nothing at or below the cursor is sent: a client resuming from the
/// last sequence it received misses nothing and gets nothing twice.
/// </summary>
public sealed class StatusWatch(
    SupplierAssureDbContext db,
    WatchVisibilityCache visibility,
    StatusFeedBroadcaster feed,
    PartnerAccessLog accessLog,
    IOptions<StatusFeedOptions> options)
{
    public async Task RunAsync(PartnerCaller caller, long afterSequence, IServerStreamWriter<SecurityStatusChange> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(writer);
        var cursor = afterSequence;
        while (true)
        {
            using var subscription = await feed.SubscribeAsync(cancellationToken);
            cursor = await CatchUpAsync(caller, cursor, subscription.StartSequence, writer, cancellationToken);
            await foreach (var batch in subscription.Batches.ReadAllAsync(cancellationToken))
            {
                cursor = await SendAsync(caller, cursor, batch, writer, cancellationToken);
            }

            if (!subscription.Overflowed)
            {
                // The broadcaster stopped: this gateway instance is shutting down. Another one can serve the resume.
                throw new RpcException(new Status(StatusCode.Unavailable,
                    $"The gateway is shutting down; watch again with after_sequence = {cursor}."));
            }
        }
    }

    // History from the database, in pages, up to the point where the subscription takes over.
    private async Task<long> CatchUpAsync(PartnerCaller caller, long cursor, long until, IServerStreamWriter<SecurityStatusChange> writer, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.PageSize;
        while (cursor < until)
        {
            var from = cursor;
            var page = await db.StatusChanges.AsNoTracking()
                .Where(c => c.Sequence > from && c.Sequence <= until)
                .OrderBy(c => c.Sequence)
                .Take(pageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return until;
            }

            var visible = await visibility.GetAsync(caller, cancellationToken);
            var shown = page.Where(c => visible is null || visible.Contains(c.SupplierId)).Select(c => c.SupplierId).Distinct().ToList();
            var details = await SecurityStatusDetails.LoadAsync(db, shown, cancellationToken);
            cursor = await SendAsync(caller, cursor,
                [.. page.Select(c => new FeedItem(c, SecurityStatusMapping.ToSecurityStatusChange(c, details.GetValueOrDefault(c.SupplierId) ?? StatusDetails.None)))],
                writer, cancellationToken);
            if (page.Count < pageSize)
            {
                return until;
            }
        }

        return Math.Max(cursor, until);
    }

    // Note: a consent revoked while a stream is open hides every change committed after the revocation: the
    // broadcaster has each client's set of visible suppliers read again before it publishes a batch (once per
    // client, shared by all its streams, not once per change per stream). History read during catch-up is filtered
    // against a set at most StatusFeedOptions.VisibilityRefreshInterval (1 s) old. Look-ups read consents every call.
    private async Task<long> SendAsync(PartnerCaller caller, long cursor, IReadOnlyList<FeedItem> items, IServerStreamWriter<SecurityStatusChange> writer, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (item.Sequence <= cursor)
            {
                continue; // already read from the database during catch-up
            }

            var visible = await visibility.GetAsync(caller, cancellationToken);
            if (visible is null || visible.Contains(item.Change.SupplierId))
            {
                // Recorded first: a change is never sent without its entry in the access log queue.
                await accessLog.RecordAsync(caller, item.Change.SupplierId, "WatchSecurityStatus", cancellationToken);
                await writer.WriteAsync(item.Message, cancellationToken);
            }

            cursor = item.Sequence;
        }

        return cursor;
    }
}
