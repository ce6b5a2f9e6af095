namespace SupplierAssure.Core.Partners;

/// <summary>
/// A company whose systems exchange data with us over the partner gateway (a customs broker, a logistics platform,
/// another buyer). It owns one or more <see cref="PartnerClient"/>s; suppliers grant consent to those clients.
/// </summary>
public sealed class PartnerOrganisation
{
    public const int MaxNameLength = 200;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Who to call about this partner's integration (optional).</summary>
    public string? ContactEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<PartnerClient> Clients { get; } = [];
}

/// <summary>How a partner client proves who it is at the token endpoint.</summary>
public enum PartnerClientAuthentication
{
    /// <summary>A client secret we generate and show once (client_secret_basic / client_secret_post).</summary>
    ClientSecret,
    /// <summary>A JWT the client signs with its private key; we keep only the public key (private_key_jwt, RFC 7523).</summary>
    PrivateKeyJwt,
}

/// <summary>
/// Our record of one partner machine client. The OAuth registration itself (client id, secret hash or public keys,
/// permitted scopes) is OpenIddict's application row with the same <see cref="ClientId"/>; this row adds the owning
/// organisation, whether the operator has disabled it, and when it last obtained a token.
/// </summary>
public sealed class PartnerClient
{
    public const int MaxClientIdLength = 100;

    public required string ClientId { get; set; }
    public Guid PartnerOrganisationId { get; set; }
    public PartnerOrganisation? PartnerOrganisation { get; set; }
    public required string DisplayName { get; set; }
    public PartnerClientAuthentication Authentication { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the secret or key was last replaced (null: never since creation).</summary>
    public DateTimeOffset? CredentialRotatedAt { get; set; }
    /// <summary>Set while the operator has disabled the client: the token endpoint refuses it.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>When the token endpoint last issued this client an access token.</summary>
    public DateTimeOffset? LastTokenIssuedAt { get; set; }

    public bool IsDisabled => DisabledAt is not null;
}

/// <summary>Audit kinds for partner organisations and clients.</summary>
public static class PartnerAuditKinds
{
    public const string OrganisationCreated = "partner.organisation-created";
    public const string ClientCreated = "partner.client-created";
    public const string ClientRotated = "partner.client-rotated";
    public const string ClientDisabled = "partner.client-disabled";
    public const string ClientEnabled = "partner.client-enabled";
}
