using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// Forged and altered access tokens against the real gateway, which validates against the real Portal's JWKS.
/// Each forgery starts from a genuine token of the demo partner and changes one thing. A forged token signed the
/// same way but with nothing wrong is accepted (<see cref="Reforged_WithNothingWrong_IsAccepted"/>), so each refusal
/// below is down to the one thing changed. (No token, a broken signature and an expired token are in
/// PartnerExchangeServiceTests and AuthenticationTests.)
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TokenTamperingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Reforged_WithNothingWrong_IsAccepted()
    {
        var token = Reforge(claims => { });

        var status = await fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token));

        Assert.Equal(DemoData.MeridianSupplierId.ToString(), status.SupplierId);
    }

    [Fact]
    public async Task GetSecurityStatus_AlgNone_IsUnauthenticated()
    {
        var (_, payload, _) = Split(fixture.StatusReadToken);
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");

        // Both spellings of an unsigned JWT: with an empty signature part, and with the genuine signature left on.
        await AssertRefusedAsync($"{header}.{payload}.");
        await AssertRefusedAsync($"{header}.{payload}.{Split(fixture.StatusReadToken).Signature}");
    }

    [Fact]
    public async Task GetSecurityStatus_SignedByForeignKey_IsUnauthenticated()
    {
        using var foreign = RSA.Create(2048);
        var genuineKeyId = PortalSigningCredentials().Key.KeyId;

        // A key of the attacker's own under a made-up key id, and under the Portal's own key id.
        await AssertRefusedAsync(Reforge(_ => { }, new SigningCredentials(new RsaSecurityKey(foreign) { KeyId = "attacker" }, SecurityAlgorithms.RsaSha256)));
        await AssertRefusedAsync(Reforge(_ => { }, new SigningCredentials(new RsaSecurityKey(foreign) { KeyId = genuineKeyId }, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task GetSecurityStatus_SymmetricKeyConfusion_IsUnauthenticated()
    {
        // HS256 keyed with the Portal's public key bytes: the classic RS/HS confusion attack.
        var publicKey = ((X509SecurityKey)PortalSigningCredentials().Key).Certificate.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo();
        var hmac = new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = PortalSigningCredentials().Key.KeyId }, SecurityAlgorithms.HmacSha256);

        await AssertRefusedAsync(Reforge(_ => { }, hmac));
    }

    [Fact]
    public async Task GetSecurityStatus_WrongAudience_IsUnauthenticated()
    {
        // Signed with the Portal's real key: only the audience is wrong (a token meant for another API of ours).
        await AssertRefusedAsync(Reforge(claims => claims["aud"] = "supplierassure-some-other-api"));
        await AssertRefusedAsync(Reforge(claims => claims.Remove("aud")));
    }

    [Fact]
    public async Task GetSecurityStatus_WrongIssuer_IsUnauthenticated()
    {
        await AssertRefusedAsync(Reforge(claims => claims["iss"] = "http://attacker.example/"));
        await AssertRefusedAsync(Reforge(claims => claims["iss"] = PortalFactory.Issuer.TrimEnd('/') + ".attacker.example/"));
    }

    [Fact]
    public async Task GetSecurityStatus_NoExpiry_IsUnauthenticated()
    {
        await AssertRefusedAsync(Reforge(claims => claims.Remove("exp")));
    }

    [Fact]
    public async Task GetSecurityStatus_ModifiedPayload_IsUnauthenticated()
    {
        // The genuine signature kept, the payload changed: another client id, then an extra scope.
        var (header, payload, signature) = Split(fixture.StatusReadToken);
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(payload))!.AsObject();

        claims["client_id"] = "operator-integration";
        await AssertRefusedAsync($"{header}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{signature}");

        claims = JsonNode.Parse(Base64UrlEncoder.Decode(payload))!.AsObject();
        claims["scope"] = "partner.status.read partner.credentials.write";
        await AssertRefusedAsync($"{header}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{signature}");
    }

    [Fact]
    public async Task WatchSecurityStatus_ForgedToken_StreamsNothing()
    {
        using var foreign = RSA.Create(2048);
        var forged = Reforge(_ => { }, new SigningCredentials(new RsaSecurityKey(foreign) { KeyId = "attacker" }, SecurityAlgorithms.RsaSha256));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = fixture.Client.WatchSecurityStatus(new WatchSecurityStatusRequest(), Bearer(forged), cancellationToken: cts.Token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    private async Task AssertRefusedAsync(string token)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    /// <summary>
    /// A new token with the genuine token's header type and claims, changed by <paramref name="change"/>, signed with
    /// <paramref name="credentials"/> (the Portal's own signing key when null).
    /// </summary>
    private string Reforge(Action<Dictionary<string, object>> change, SigningCredentials? credentials = null)
    {
        var (_, payload, _) = Split(fixture.StatusReadToken);
        using var json = JsonDocument.Parse(Base64UrlEncoder.Decode(payload));
        var claims = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        // Fresh times, so that only what the test changes can be wrong.
        var now = DateTimeOffset.UtcNow;
        claims["iat"] = now.ToUnixTimeSeconds();
        claims["nbf"] = now.ToUnixTimeSeconds();
        claims["exp"] = now.AddMinutes(10).ToUnixTimeSeconds();
        claims["jti"] = Guid.NewGuid().ToString();
        change(claims);

        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(JsonSerializer.Serialize(claims), credentials ?? PortalSigningCredentials(),
            new Dictionary<string, object> { ["typ"] = "at+jwt" });
    }

    private SigningCredentials PortalSigningCredentials() =>
        fixture.Portal.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials
            .First(c => c.Key is AsymmetricSecurityKey);

    private static (string Header, string Payload, string Signature) Split(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return (parts[0], parts[1], parts[2]);
    }
}
