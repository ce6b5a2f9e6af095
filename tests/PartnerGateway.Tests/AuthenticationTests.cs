using Grpc.Core;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;
using OpenIddict.Server;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Auth;
using SupplierAssure.PartnerGateway.Services;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;

namespace SupplierAssure.PartnerGateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture fixture)
{
    [Fact]
    public async Task GetSecurityStatus_ExpiredToken_IsUnauthenticated()
    {
        // A second Portal host on the same database and signing key that issues four-second tokens, and a gateway
        // without clock skew: the token is genuine in every respect but its expiry. (Winding the Portal's clock back
        // instead would predate its development signing certificate on a fresh machine.) Four seconds, not one: with
        // one, a loaded CI machine spent the token's whole life between issuing it and the first call.
        await using var shortLivedPortal = fixture.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.Configure<OpenIddictServerOptions>(o => o.AccessTokenLifetime = TimeSpan.FromSeconds(4))));
        await using var gateway = new GatewayFactory(fixture.Portal).WithServices(s =>
            s.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.TokenValidationParameters.ClockSkew = TimeSpan.Zero));
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);
        var request = Lookup(IdentifierType.Lei, DemoData.MeridianLei);
        // Warm both hosts first with ordinary tokens (signing keys fetched, pipelines compiled).
        Assert.NotNull(await client.GetSecurityStatusAsync(request, Bearer(fixture.StatusReadToken)));
        await RequestTokenAsync(shortLivedPortal.CreateClient());

        var token = await RequestTokenAsync(shortLivedPortal.CreateClient());
        Assert.NotNull(await client.GetSecurityStatusAsync(request, Bearer(token))); // valid while fresh

        // Past the token's own "exp" (whole seconds) by a margin, whatever time the calls above took.
        var expires = ExpiryOf(token);
        Assert.True(expires <= DateTimeOffset.UtcNow.AddSeconds(5), $"The token lives until {expires:O}; the four-second lifetime did not apply.");
        var wait = expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(1100);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.GetSecurityStatusAsync(request, Bearer(token)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task EveryRpc_HasARegisteredScopePolicy()
    {
        // A new rpc without its own policy would be open to any authenticated client, whatever its scopes.
        var rpcs = typeof(PartnerExchangeService).GetMethods()
            .Where(m => m.DeclaringType == typeof(PartnerExchangeService) && m.GetBaseDefinition().DeclaringType == typeof(PartnerExchange.PartnerExchangeBase))
            .ToList();
        var policies = fixture.Gateway.Services.GetRequiredService<IAuthorizationPolicyProvider>();

        Assert.NotEmpty(rpcs);
        foreach (var rpc in rpcs)
        {
            var attribute = rpc.GetCustomAttributes(typeof(AuthorizeAttribute), inherit: false).Cast<AuthorizeAttribute>().SingleOrDefault();
            Assert.True(attribute?.Policy is not null, $"{rpc.Name} has no [Authorize(Policy = ...)].");
            Assert.NotNull(await policies.GetPolicyAsync(attribute.Policy!));
        }
    }

    /// <summary>The "exp" claim of a JWT access token (its payload read without validation; the gateway validates).</summary>
    private static DateTimeOffset ExpiryOf(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
        return DateTimeOffset.FromUnixTimeSeconds(json.RootElement.GetProperty("exp").GetInt64());
    }

    private static async Task<string> RequestTokenAsync(HttpClient client)
    {
        using (client)
        {
            using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = DemoData.PartnerClientId,
                ["client_secret"] = PortalFactory.PartnerSecret,
                ["scope"] = PartnerScopes.StatusRead,
            }));
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("access_token").GetString()!;
        }
    }
}
