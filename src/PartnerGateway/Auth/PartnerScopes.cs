namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// OAuth scopes and the authorization policies built on them: one policy per operation family, so each rpc
/// states in an attribute which scope it needs.
/// </summary>
public static class PartnerScopes
{
    /// <summary>Read suppliers' security status.</summary>
    public const string StatusRead = "partner.status.read";

    public static class Policies
    {
        public const string StatusRead = "partner:" + PartnerScopes.StatusRead;
    }
}

/// <summary>The JWT claim names the Portal's access tokens carry (RFC 9068), read without inbound mapping.</summary>
public static class PartnerClaims
{
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Subject = "sub";
}
