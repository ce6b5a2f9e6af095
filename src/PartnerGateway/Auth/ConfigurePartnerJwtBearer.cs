using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>
/// Points JwtBearer at the Portal's OpenIddict server. Applied through the options system (not at registration),
/// so configuration supplied late, as test hosts do, is honoured.
/// </summary>
internal sealed class ConfigurePartnerJwtBearer(IOptions<PartnerGatewayOptions> gatewayOptions, PartnerTokenCache? tokenCache = null) : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>The "typ" header of OAuth 2.0 JWT access tokens (RFC 9068); identity tokens carry another.</summary>
    public const string AccessTokenType = "at+jwt";

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateway = gatewayOptions.Value;
        options.Authority = gateway.Authority;
        options.Audience = gateway.Audience;
        // Note: metadata and keys over plain HTTP are accepted only from a loopback authority (a developer machine,
        // or the in-memory test server); anywhere else an attacker on the path could swap the signing keys.
        options.RequireHttpsMetadata = !IsHttpLoopback(gateway.Authority);
        // Unknown "kid": the Portal has rotated its keys, so fetch the JWKS again before rejecting the token.
        options.RefreshOnIssuerKeyNotFound = true;
        // Keep the token's own claim names (sub, client_id, scope) rather than WS-Federation URIs.
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            // The issuer comes from the Portal's discovery document; the signing keys from its JWKS.
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = gateway.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidTypes = [AccessTokenType],
            ClockSkew = TimeSpan.FromMinutes(1),
            NameClaimType = PartnerClaims.ClientId,
        };

        // Valid tokens are remembered until they expire (CachingTokenHandler says why that is safe here).
        if (tokenCache?.Cache is { } cache)
        {
            var handlers = options.TokenHandlers.ToList();
            options.TokenHandlers.Clear();
            foreach (var handler in handlers)
            {
                options.TokenHandlers.Add(handler is CachingTokenHandler ? handler
                    : new CachingTokenHandler(handler, cache, tokenCache.Clock));
            }
        }
    }

    internal static bool IsHttpLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
}
