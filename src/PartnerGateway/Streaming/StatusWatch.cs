using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Status;
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
    PartnerVisibility visibility,
    StatusFeedBroadcaster feed,
    PartnerAccessLog accessLog,
    IOptions<StatusFeedOptions> options,
    TimeProvider clock)
{
    private IReadOnlySet<Guid>? _visible;
    private DateTimeOffset _visibleLoadedAt;

    public async Task RunAsync(PartnerCaller caller, long afterSequence, IServerStreamWriter<SecurityStatusChange> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(writer);
        var cursor = afterSequence;
        await RefreshVisibilityAsync(caller, cancellationToken);
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

            cursor = await SendAsync(caller, cursor, page, writer, cancellationToken);
            if (page.Count < pageSize)
            {
                return until;
            }
        }

        return Math.Max(cursor, until);
    }

    private async Task<long> SendAsync(PartnerCaller caller, long cursor, IReadOnlyList<StatusChange> changes, IServerStreamWriter<SecurityStatusChange> writer, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            if (change.Sequence <= cursor)
            {
                continue; // already read from the database during catch-up
            }

            if (clock.GetUtcNow() - _visibleLoadedAt >= options.Value.VisibilityRefreshInterval)
            {
                await RefreshVisibilityAsync(caller, cancellationToken);
            }

            if (_visible is null || _visible.Contains(change.SupplierId))
            {
                await writer.WriteAsync(SecurityStatusMapping.ToSecurityStatusChange(change), cancellationToken);
                accessLog.Record(caller, change.SupplierId, "WatchSecurityStatus");
            }

            cursor = change.Sequence;
        }

        return cursor;
    }

    // Note: a consent revoked while a stream is open stops its changes within VisibilityRefreshInterval, not at once;
    // reading consents for every change of every stream would put a thousand queries behind each change.
    private async Task RefreshVisibilityAsync(PartnerCaller caller, CancellationToken cancellationToken)
    {
        _visible = await visibility.VisibleSupplierIdsAsync(caller, SharingConsent.StatusScope, cancellationToken);
        _visibleLoadedAt = clock.GetUtcNow();
    }
}
