using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed class ApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string ProcurementClient = "demo-procurement-system";

    [Fact]
    public async Task ListSuppliers_ProcurementSystemToken_ReturnsThePortfolio()
    {
        using var client = await ClientWithTokenAsync(ProcurementClient, "procurement.read");
        using var response = await client.GetAsync(new Uri("/api/v1/suppliers?pageSize=10&sort=name", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legalName").GetString()).ToList();
        Assert.Contains("Meridian Freight Services Ltd", names);
        Assert.Contains("Caldera Components GmbH", names);
        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), names);
        Assert.Equal(1, json.RootElement.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task GetSupplier_KnownAndUnknownIds_Return200And404ProblemDetails()
    {
        using var client = await ClientWithTokenAsync(ProcurementClient, "procurement.read");
        using var known = await client.GetAsync(new Uri($"/api/v1/suppliers/{DemoData.MeridianSupplierId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        using var body = JsonDocument.Parse(await known.Content.ReadAsStringAsync());
        Assert.Equal(DemoData.MeridianLei, body.RootElement.GetProperty("identifiers").GetProperty("lei").GetString());

        using var unknown = await client.GetAsync(new Uri($"/api/v1/suppliers/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ListSuppliers_TierFilterByName_FiltersTheList()
    {
        // Regression: names with a digit (Tier1Critical) were refused as if they were numbers.
        using var client = await ClientWithTokenAsync(ProcurementClient, "procurement.read");
        using var standard = await client.GetAsync(new Uri("/api/v1/suppliers?tier=Tier3Standard&pageSize=100", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, standard.StatusCode);
        using var critical = await client.GetAsync(new Uri("/api/v1/suppliers?tier=tier1critical&pageSize=100", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, critical.StatusCode);

        static async Task<List<string?>> NamesAsync(HttpResponseMessage response)
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legalName").GetString()).ToList();
        }

        Assert.Contains("Meridian Freight Services Ltd", await NamesAsync(standard));
        Assert.DoesNotContain("Meridian Freight Services Ltd", await NamesAsync(critical));
    }

    [Theory]
    [InlineData("/api/v1/suppliers?tier=Tier9", "tier")]
    [InlineData("/api/v1/suppliers?status=1", "status")]
    [InlineData("/api/v1/suppliers?tier=1", "tier")]
    [InlineData("/api/v1/suppliers?pageSize=5000", "pageSize")]
    [InlineData("/api/v1/suppliers?page=0", "page")]
    [InlineData("/api/v1/suppliers?sort=upwards", "sort")]
    public async Task ListSuppliers_BadQuery_Returns400NamingTheField(string path, string field)
    {
        using var client = await ClientWithTokenAsync(ProcurementClient, "procurement.read");
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task Api_WithoutToken_Is401WithoutAPage()
    {
        using var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri("/api/v1/suppliers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_PartnerTokenForTheGateway_IsRejected()
    {
        // Right issuer and signature, wrong audience and scope: a partner token must not open the procurement API.
        var token = await portal.GetPartnerTokenAsync();
        using var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri("/api/v1/suppliers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_SignedInSupplierCookie_DoesNotOpenTheApi()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        using var response = await session.Client.GetAsync(new Uri("/api/v1/suppliers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheSupplierEndpoints()
    {
        using var client = portal.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/suppliers", out _));
        Assert.True(paths.TryGetProperty("/api/v1/suppliers/{id}", out _));
    }

    private async Task<HttpClient> ClientWithTokenAsync(string clientId, string scope)
    {
        var token = await portal.GetPartnerTokenAsync(scope, clientId);
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
