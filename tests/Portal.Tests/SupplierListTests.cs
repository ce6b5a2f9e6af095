using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed class SupplierListTests : IClassFixture<SupplierListTests.Fixture>
{
    private readonly PortalFactory _portal;

    public SupplierListTests(Fixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _portal = fixture.Portal;
    }

    [Fact]
    public async Task List_Procurement_SeesEverySupplierSortedByName()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync("/Suppliers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = page.QuerySelectorAll("[data-testid=supplier-row] td:first-child").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), names);
        Assert.Contains(names, n => n.StartsWith("Meridian", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("Caldera", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/Suppliers?q=Meridian", 1)]
    [InlineData("/Suppliers?q=529900caldera0000291", 1)]
    [InlineData("/Suppliers?q=Nobody%20Ltd", 0)]
    public async Task List_Search_FindsByNameOrIdentifier(string path, int expected)
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync(path);
        Assert.Equal(expected, page.QuerySelectorAll("[data-testid=supplier-row]").Length);
        Assert.StartsWith($"{expected} supplier(s)", page.QuerySelector("[data-testid=result-count]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_CountryAndTierFilters_MatchTheDatabase()
    {
        await using var db = _portal.CreateDbContext();
        var expected = await db.Suppliers.CountAsync(s => s.CountryCode == "GB" && s.Tier == SupplierTier.Tier3Standard);
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/Suppliers?country=gb&tier=Tier3Standard");
        var rows = page.QuerySelectorAll("[data-testid=supplier-row]");
        Assert.Equal(expected, rows.Length);
        Assert.All(rows, r => Assert.Equal("GB", r.Children[1].TextContent));
        Assert.All(rows, r => Assert.Equal("Tier 3 (standard)", r.Children[2].TextContent));
    }

    [Theory]
    [InlineData("/Suppliers?tier=NotATier&sort=Sideways&page=-4")]
    [InlineData("/Suppliers?page=99999")]
    [InlineData("/Suppliers?risk=%3Cscript%3E")]
    public async Task List_NonsenseParameters_AreIgnoredNot500(string path)
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(page.QuerySelectorAll("[data-testid=supplier-row]"));
    }

    [Fact]
    public async Task List_SupplierUser_IsDenied()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (response, _) = await session.GetPageAsync("/Suppliers");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var export = await session.Client.GetAsync(new Uri("/Suppliers?handler=Export&format=csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
    }

    [Fact]
    public async Task ExportCsv_FilteredList_HasHeaderRowsAndNeutralisedFormulas()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await session.Client.GetAsync(new Uri("/Suppliers?handler=Export&format=csv&country=GB", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Supplier,Country,LEI,Tier,Assurance,Score,Risk", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Meridian Freight Services Ltd", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'=HYPERLINK", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Caldera", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportXlsx_ReturnsASpreadsheet()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await session.Client.GetAsync(new Uri("/Suppliers?handler=Export&format=xlsx", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
    }

    /// <summary>The demo data plus a supplier whose name is a spreadsheet formula.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();

        public async Task InitializeAsync()
        {
            await using var db = Portal.CreateDbContext();
            db.Suppliers.Add(new Supplier { Id = Guid.NewGuid(), LegalName = "=HYPERLINK(\"http://evil.example\",\"Click\")", CountryCode = "GB" });
            await db.SaveChangesAsync();
        }

        public async Task DisposeAsync() => await Portal.DisposeAsync();
    }
}
