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
    // Note: listing a client here bypasses supplier consent entirely; keep it to systems the operator runs.
    public IList<string> OperatorIntegrationClients { get; } = [];
}
