using System.Security.Claims;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>The partner system making a call, as its validated access token names it.</summary>
public sealed record PartnerCaller(string ClientId)
{
    /// <summary>
    /// Reads the OAuth client id from <paramref name="user"/>. Every partner policy requires the claim, so a
    /// missing one here means an operation was mapped without a policy: a programming error, not a caller error.
    /// </summary>
    public static PartnerCaller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var clientId = user.FindFirst(PartnerClaims.ClientId)?.Value;
        if (string.IsNullOrEmpty(clientId) || user.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("The call reached a partner operation without an authenticated client; is its [Authorize] policy missing?");
        }

        return new PartnerCaller(clientId);
    }
}
