namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// OAuth scopes and the authorization policies built on them: one policy per operation family, so each rpc
/// states in an attribute which scope it needs.
/// </summary>
public static class PartnerScopes
{
    /// <summary>Read suppliers' security status.</summary>
    public const string StatusRead = "partner.status.read";

    /// <summary>List suppliers' credentials.</summary>
    public const string CredentialsRead = "partner.credentials.read";

    /// <summary>Submit and verify credentials.</summary>
    public const string CredentialsWrite = "partner.credentials.write";

    /// <summary>Report security incidents.</summary>
    public const string IncidentsWrite = "partner.incidents.write";

    public static IReadOnlyList<string> All { get; } = [StatusRead, CredentialsRead, CredentialsWrite, IncidentsWrite];

    public static class Policies
    {
        public const string StatusRead = "partner:" + PartnerScopes.StatusRead;
        public const string CredentialsRead = "partner:" + PartnerScopes.CredentialsRead;
        public const string CredentialsWrite = "partner:" + PartnerScopes.CredentialsWrite;
        public const string IncidentsWrite = "partner:" + PartnerScopes.IncidentsWrite;
    }
}

/// <summary>The JWT claim names the Portal's access tokens carry (RFC 9068), read without inbound mapping.</summary>
public static class PartnerClaims
{
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Subject = "sub";
}
