using Microsoft.Extensions.Options;
using SupplierAssure.Core.Partners;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Streaming;

/// <summary>
/// Which suppliers each partner client may see, shared by all of that client's open watch streams. A stale set is
/// read again once per client however many of its streams ask at the same moment: without this, one change after a
/// quiet spell made every one of a thousand streams query the consents at once, and the last of them received the
/// change seconds late (docs/performance.md).
/// </summary>
public sealed class WatchVisibilityCache(IServiceScopeFactory scopes, IOptions<StatusFeedOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The suppliers <paramref name="caller"/> may see now (null: all of them), at most one refresh interval old.</summary>
    public Task<IReadOnlySet<Guid>?> GetAsync(PartnerCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Task<IReadOnlySet<Guid>?> load;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_entries.TryGetValue(caller.ClientId, out var entry)
                || entry.Generation != _generation
                || (now - entry.StartedAt >= options.Value.VisibilityRefreshInterval && entry.Load.IsCompleted)
                || entry.Load.IsFaulted || entry.Load.IsCanceled)
            {
                entry = new Entry(LoadAsync(caller), now, _generation);
                _entries[caller.ClientId] = entry;
            }

            load = entry.Load;
        }

        // One stream giving up must not cancel the load the others wait on; it only stops waiting.
        return load.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets what is known about <paramref name="clientId"/>, so its next stream reads consents again.</summary>
    public void Invalidate(string clientId)
    {
        lock (_gate)
        {
            _entries.Remove(clientId);
        }
    }

    /// <summary>
    /// Makes every client's next request read its consents again, including loads already under way (they started
    /// too early). The broadcaster calls this before it publishes a batch, so a batch is filtered against consents
    /// read after the batch's changes were: a change committed after a revocation never reaches that partner.
    /// </summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _generation++;
        }
    }

    private async Task<IReadOnlySet<Guid>?> LoadAsync(PartnerCaller caller)
    {
        await Task.Yield(); // leave the lock before touching the database
        await using var scope = scopes.CreateAsyncScope();
        var visibility = scope.ServiceProvider.GetRequiredService<PartnerVisibility>();
        return await visibility.VisibleSupplierIdsAsync(caller, SharingConsent.StatusScope, CancellationToken.None);
    }

    private sealed record Entry(Task<IReadOnlySet<Guid>?> Load, DateTimeOffset StartedAt, long Generation);
}
