using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Features.PartnerClients;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// private_key_jwt (RFC 7523) at the real token endpoint: a partner client registered with only its public key
/// proves itself with an assertion signed by its private key.
/// </summary>
public sealed class PrivateKeyJwtTests : IClassFixture<PortalFactory>, IDisposable
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private readonly PortalFactory _portal;
    private readonly RSA _clientKey = RSA.Create(2048);

    public PrivateKeyJwtTests(PortalFactory portal)
    {
        _portal = portal;
    }

    public void Dispose() => _clientKey.Dispose();

    [Fact]
    public async Task Token_AssertionSignedWithRegisteredKey_IssuesAccessToken()
    {
        var clientId = await RegisterAsync(_clientKey);

        using var response = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var token = new JsonWebToken(json.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(clientId, token.GetClaim("client_id").Value);
        Assert.Contains("supplierassure-partner-gateway", token.Audiences);
    }

    [Fact]
    public async Task Token_AssertionSignedWithAnotherKey_IsRefused()
    {
        var clientId = await RegisterAsync(_clientKey);
        using var otherKey = RSA.Create(2048);

        using var response = await RequestTokenAsync(clientId, Assertion(clientId, otherKey));

        await AssertInvalidClientAsync(response);
    }

    [Fact]
    public async Task Token_ReusedAssertion_IsRefusedTheSecondTime()
    {
        var clientId = await RegisterAsync(_clientKey);
        var assertion = Assertion(clientId, _clientKey);

        using var first = await RequestTokenAsync(clientId, assertion);
        using var second = await RequestTokenAsync(clientId, assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertInvalidClientAsync(second);
    }

    [Fact]
    public async Task Token_SameJtiInNewAssertion_IsRefused()
    {
        var clientId = await RegisterAsync(_clientKey);
        var jti = Guid.NewGuid().ToString();

        using var first = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey, jti: jti));
        using var second = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey, jti: jti, issuedAt: DateTimeOffset.UtcNow.AddSeconds(1)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertInvalidClientAsync(second);
    }

    [Fact]
    public async Task Token_ExpiredAssertion_IsRefused()
    {
        var clientId = await RegisterAsync(_clientKey);

        using var response = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-30), lifetime: TimeSpan.FromMinutes(5)));

        await AssertInvalidClientAsync(response);
    }

    [Fact]
    public async Task Token_AssertionWithoutJti_IsRefused()
    {
        var clientId = await RegisterAsync(_clientKey);

        using var response = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey, jti: string.Empty));

        await AssertInvalidClientAsync(response);
    }

    [Fact]
    public async Task Token_AssertionForAnotherAudience_IsRefused()
    {
        var clientId = await RegisterAsync(_clientKey);

        using var response = await RequestTokenAsync(clientId, Assertion(clientId, _clientKey, audience: "https://someone-else.example/"));

        await AssertRefusedAsync(response, "invalid_token");
    }

    [Fact]
    public async Task Token_AssertionNamingAnotherClient_IsRefused()
    {
        // A genuine assertion of client A presented as client B (B registered with the same key) is refused.
        var clientA = await RegisterAsync(_clientKey);
        var clientB = await RegisterAsync(_clientKey);

        using var response = await RequestTokenAsync(clientB, Assertion(clientA, _clientKey));

        await AssertRefusedAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task Token_SecretForKeyClient_IsRefused()
    {
        // A private_key_jwt client has no secret: guessing one gets nothing.
        var clientId = await RegisterAsync(_clientKey);
        using var client = _portal.CreateClient();

        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = "anything",
            ["scope"] = "partner.status.read",
        }));

        await AssertInvalidClientAsync(response);
    }

    [Fact]
    public void ParsePublicKeys_PrivateKeyPasted_IsRefusedNamingTheMember()
    {
        var errors = new RegistryErrors();

        Assert.Null(PartnerClientRegistry.ParsePublicKeys(Jwk(_clientKey, includePrivate: true), errors));
        Assert.Contains("\"d\"", errors["PublicJwk"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"kty":"oct","k":"c2VjcmV0"}""")]
    [InlineData("""{"kty":"RSA","n":"AQAB","e":"AQAB"}""")]
    public void ParsePublicKeys_Unusable_IsAnErrorOnTheField(string text)
    {
        var errors = new RegistryErrors();

        Assert.Null(PartnerClientRegistry.ParsePublicKeys(text, errors));
        Assert.False(string.IsNullOrEmpty(errors["PublicJwk"]));
    }

    private async Task<string> RegisterAsync(RSA key)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<PartnerClientRegistry>();
        var (organisation, errors) = await registry.CreateOrganisationAsync("Key partner " + Guid.NewGuid().ToString("N")[..8], null, CancellationToken.None);
        Assert.False(errors.Any, string.Join("; ", errors.Values));
        var result = await registry.CreateClientAsync(organisation!.Id, "Customs filing system", ["partner.status.read"],
            PartnerClientAuthentication.PrivateKeyJwt, Jwk(key), CancellationToken.None);
        Assert.False(result.Errors.Any, string.Join("; ", result.Errors.Values));
        Assert.Null(result.Secret); // nothing shared: the Portal holds only the public key
        return result.ClientId;
    }

    /// <summary>A JWK as key tools write it: the RSA public members, and the private ones when asked for.</summary>
    internal static string Jwk(RSA key, bool includePrivate = false)
    {
        var p = key.ExportParameters(includePrivate);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = "client-key-1",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (includePrivate)
        {
            jwk["d"] = Base64UrlEncoder.Encode(p.D);
            jwk["p"] = Base64UrlEncoder.Encode(p.P);
            jwk["q"] = Base64UrlEncoder.Encode(p.Q);
        }

        return JsonSerializer.Serialize(jwk);
    }

    private static string Assertion(string clientId, RSA key, string? audience = null, string? jti = null, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            // OpenIddict 7.8 takes its issuer as the audience (it refuses the token endpoint's URL).
            ["aud"] = audience ?? PortalFactory.Issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromMinutes(2)).ToUnixTimeSeconds(),
        };
        jti ??= Guid.NewGuid().ToString();
        if (jti.Length > 0)
        {
            claims["jti"] = jti;
        }

        var credentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "client-key-1" }, SecurityAlgorithms.RsaSha256);
        // The explicit type of client assertions (draft RFC 7523bis); OpenIddict 7.8 refuses a generic "JWT" here.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            JsonSerializer.Serialize(claims), credentials, new Dictionary<string, object> { ["typ"] = "client-authentication+jwt" });
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string assertion)
    {
        using var client = _portal.CreateClient();
        return await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_assertion_type"] = AssertionType,
            ["client_assertion"] = assertion,
            ["scope"] = "partner.status.read",
        }));
    }

    private static Task AssertInvalidClientAsync(HttpResponseMessage response) => AssertRefusedAsync(response, "invalid_client");

    /// <summary>An OAuth error response carrying <paramref name="error"/> and no token.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(json.RootElement.TryGetProperty("access_token", out _));
    }
}
