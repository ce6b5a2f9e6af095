namespace SupplierAssure.Portal.Identity;

/// <summary>Settings of the Portal's OpenID Connect / OAuth 2.0 server. Bound from "Identity".</summary>
public sealed class PortalIdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>The issuer URL written into tokens; the partner gateway validates it.</summary>
    public Uri Issuer { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>The audience (resource) of access tokens meant for the partner gateway.</summary>
    public string PartnerGatewayAudience { get; set; } = "supplierassure-partner-gateway";

    /// <summary>PFX file with the token signing (and encryption) key; from configuration or environment, never committed.</summary>
    public string? SigningCertificatePath { get; set; }

    public string? SigningCertificatePassword { get; set; }

    /// <summary>Where generated token keys are kept when no certificate is configured (relative: under the data directory).</summary>
    public string TokenKeyDirectory { get; set; } = "keys/token";

    /// <summary>The Data Protection key ring that protects the generated token keys (relative: under the data directory).</summary>
    public string TokenKeyRingDirectory { get; set; } = "keys/token-key-ring";

    /// <summary>Serve the OpenID endpoints over plain HTTP (loopback demo and tests only).</summary>
    public bool AllowHttp { get; set; }
}

/// <summary>Demo-mode settings. Bound from "Demo"; set only in appsettings.Development.json.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>Password of every demo user.</summary>
    public string? Password { get; set; }

    /// <summary>Client secret of the demo partner machine client.</summary>
    public string? PartnerClientSecret { get; set; }
}

/// <summary>OAuth scopes, one per partner operation.</summary>
public static class PartnerScopes
{
    public const string StatusRead = "partner.status.read";
    public const string IncidentsWrite = "partner.incidents.write";
    public const string CredentialsRead = "partner.credentials.read";
    public const string CredentialsWrite = "partner.credentials.write";

    public static readonly IReadOnlyList<string> All = [StatusRead, IncidentsWrite, CredentialsRead, CredentialsWrite];
}

public static class PortalClaims
{
    /// <summary>The supplier organisation of a supplier user.</summary>
    public const string SupplierId = "supplier_id";

    public const string DisplayName = "display_name";

    /// <summary>"true" when the user has an authenticator enrolled.</summary>
    public const string MfaEnrolled = "mfa_enrolled";
}
