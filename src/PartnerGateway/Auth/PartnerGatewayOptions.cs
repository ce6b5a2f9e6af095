using System.ComponentModel.DataAnnotations;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>The gateway's own settings, bound from the "PartnerGateway" section.</summary>
public sealed class PartnerGatewayOptions
{
    public const string SectionName = "PartnerGateway";

    /// <summary>
    /// The Portal's OpenID Connect issuer. Its discovery document and signing keys are fetched from here, and
    /// tokens must carry exactly its issuer.
    /// </summary>
    [Required]
    public string Authority { get; set; } = "http://127.0.0.1:5080/";

    /// <summary>The audience the Portal puts in access tokens meant for this gateway.</summary>
    [Required]
    public string Audience { get; set; } = "supplierassure-partner-gateway";

    /// <summary>
    /// Client ids of the operator's own integration systems. They see every supplier without a sharing consent,
    /// because the data is the operator's own.
    /// </summary>
    /// <summary>
    /// How many valid access tokens the gateway remembers (by their SHA-256, each until it expires) so that a
    /// partner's repeated calls with one token skip the signature check; 0 turns this off. See CachingTokenHandler.
    /// </summary>
    [Range(0, 1_000_000)]
    public int TokenCacheSize { get; set; } = 10_000;

    // Note: listing a client here bypasses supplier consent entirely; keep it to systems the operator runs.
    public IList<string> OperatorIntegrationClients { get; } = [];
}
