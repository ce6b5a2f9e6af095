using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Text.Json;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed class HostTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_WhenReady_Returns200(string path)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_Always_CarrySecurityHeaders()
    {
        using var session = PortalSession.Anonymous(portal);
        var (response, _) = await session.GetPageAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Token_ClientCredentials_IssuesSignedJwtForTheGateway()
    {
        var token = await portal.GetPartnerTokenAsync();
        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(token);
        Assert.Equal(PortalFactory.Issuer, jwt.Issuer);
        Assert.Equal(["supplierassure-partner-gateway"], jwt.Audiences);
        Assert.Equal(DemoData.PartnerClientId, jwt.Subject);
        Assert.Equal("partner.status.read", jwt.Claims.Single(c => c.Type == "scope").Value);
        Assert.Equal("RS256", jwt.Header.Alg);
        Assert.True(jwt.ValidTo > DateTime.UtcNow && jwt.ValidTo <= DateTime.UtcNow.AddMinutes(16));
    }

    [Theory]
    [InlineData("client_credentials", "demo-partner", "wrong-secret", "partner.status.read", "invalid_client")]
    [InlineData("client_credentials", "nobody", "x", "partner.status.read", "invalid_client")]
    [InlineData("client_credentials", "demo-partner", PortalFactory.PartnerSecret, "admin.everything", "invalid_scope")]
    [InlineData("password", "demo-partner", PortalFactory.PartnerSecret, "partner.status.read", "unsupported_grant_type")]
    [InlineData("", "", "", "", "invalid_request")]
    public async Task Token_BadRequest_ReturnsOAuthErrorNot500(string grant, string clientId, string secret, string scope, string expectedError)
    {
        using var client = portal.CreateClient();
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"status {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedError, json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_PublishesIssuerAndSigningKeys()
    {
        using var client = portal.CreateClient();
        using var discovery = JsonDocument.Parse(await client.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)));
        Assert.Equal(PortalFactory.Issuer, discovery.RootElement.GetProperty("issuer").GetString());
        var jwksUri = new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!);
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(jwksUri));
        Assert.NotEmpty(jwks.RootElement.GetProperty("keys").EnumerateArray());
    }

    // What a person sees when a form is turned away before any page handles it: the antiforgery token missing or stale
    // (a tab left open across a sign-out), or a form with more fields than the host reads.
    [Fact]
    public async Task RefusedFormPost_ShowsAPageThatSaysWhatToDo_Not500()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.ProcurementUserEmail);
        using (var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Depot" }))
        using (var response = await session.Client.PostAsync(new Uri($"/Suppliers/{DemoData.CalderaSupplierId}/Sites", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("This form has expired", page.QuerySelector("h1")?.TextContent);
            Assert.Contains("reload", page.QuerySelector("main")?.TextContent, StringComparison.OrdinalIgnoreCase);
        }

        var token = await session.GetTokenAsync($"/Suppliers/{DemoData.CalderaSupplierId}/Sites");
        var fields = Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string>($"f{i}", "x")).Prepend(new("__RequestVerificationToken", token));
        using (var content = new FormUrlEncodedContent(fields))
        using (var response = await session.Client.PostAsync(new Uri($"/Suppliers/{DemoData.CalderaSupplierId}/Sites", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("This form could not be read", page.QuerySelector("h1")?.TextContent);
        }
    }
}
