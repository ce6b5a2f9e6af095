using System.ComponentModel.DataAnnotations;

namespace SupplierAssure.Registries;

/// <summary>
/// One external registry's address and patience, bound from "CredentialRegistries:&lt;name&gt;" (both hosts), over
/// the gateway's earlier "PartnerGateway:Registries:&lt;name&gt;", which is still read so existing settings keep working.
/// </summary>
public sealed class RegistryOptions
{
    public const string SectionPrefix = "CredentialRegistries:";

    /// <summary>Where the gateway read these settings before the adapters were shared; read first, overridden by <see cref="SectionPrefix"/>.</summary>
    public const string GatewaySectionPrefix = "PartnerGateway:Registries:";

    /// <summary>Where the registry answers; required, an absolute URL ending in '/'.</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one verification may take in all, retries included; callers (a partner, a monitoring step) wait this long at most.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after a failed attempt (5xx, 408, 429, timeout, connection failure).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long calls are refused without trying once the registry is judged down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
