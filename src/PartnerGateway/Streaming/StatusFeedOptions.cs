using System.ComponentModel.DataAnnotations;

namespace SupplierAssure.PartnerGateway.Streaming;

/// <summary>How the gateway follows the status change feed, bound from "PartnerGateway:StatusFeed".</summary>
public sealed class StatusFeedOptions
{
    public const string SectionName = "PartnerGateway:StatusFeed";

    /// <summary>
    /// How often the one poller per process asks the database for new feed rows. Bounds how late a change reaches
    /// watchers, and is the only database load that open watchers add while nothing changes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a hole in the sequence is waited for before it is passed over. A hole appears when a transaction
    /// that took a lower sequence commits after a higher one (SQL Server identities), or never when it rolled back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan GapGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Published batches a watcher may fall behind by before it is sent back to read from the database.</summary>
    [Range(1, 100_000)]
    public int SubscriberBufferBatches { get; set; } = 256;

    /// <summary>Feed rows read per query, by the poller and by a stream catching up from its cursor.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// How long a partner client's set of visible suppliers is trusted by its open streams before consents are read
    /// again (once per client, shared by all its streams): the longest a revoked consent keeps an open stream going.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan VisibilityRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
