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
        // A second Portal host on the same database and signing key that issues one-second tokens, and a gateway
        // without clock skew: the token is genuine in every respect but its expiry. (Winding the Portal's clock back
        // instead would predate its development signing certificate on a fresh machine.)
        await using var shortLivedPortal = fixture.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.Configure<OpenIddictServerOptions>(o => o.AccessTokenLifetime = TimeSpan.FromSeconds(1))));
        await using var gateway = new GatewayFactory(fixture.Portal).WithServices(s =>
            s.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.TokenValidationParameters.ClockSkew = TimeSpan.Zero));
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);
        var request = Lookup(IdentifierType.Lei, DemoData.MeridianLei);
        // Warm both hosts first with ordinary tokens (signing keys fetched, pipelines compiled), then ask for the short
        // token at the start of a second: "exp" is in whole seconds, so a token issued late in a second lives only for
        // the rest of it, and a cold first call on a loaded machine took longer than that.
        Assert.NotNull(await client.GetSecurityStatusAsync(request, Bearer(fixture.StatusReadToken)));
        await RequestTokenAsync(shortLivedPortal.CreateClient());
        while (DateTime.UtcNow.Millisecond > 100)
        {
            await Task.Delay(10);
        }

        var token = await RequestTokenAsync(shortLivedPortal.CreateClient());
        Assert.NotNull(await client.GetSecurityStatusAsync(request, Bearer(token))); // valid while fresh

        await Task.Delay(TimeSpan.FromSeconds(2.1)); // past "exp", which has one-second resolution
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
