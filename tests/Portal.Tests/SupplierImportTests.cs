using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>Bulk onboarding from CSV on /Suppliers/Import and POST /api/v1/suppliers/import.</summary>
public sealed class SupplierImportTests : IClassFixture<SupplierImportTests.Fixture>
{
    private const string Header = "legal_name,country,lei,duns,eori,vat,contact_name,contact_email,tier";
    private readonly PortalFactory _portal;

    public SupplierImportTests(Fixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _portal = fixture.Portal;
    }

    /// <summary>A LEI with correct ISO 17442 check digits for an 18-character prefix.</summary>
    private static string Lei(string prefix18)
    {
        var digits = new StringBuilder();
        foreach (var c in prefix18 + "00")
        {
            digits.Append(char.IsAsciiDigit(c) ? (c - '0').ToString(CultureInfo.InvariantCulture) : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture));
        }

        var remainder = System.Numerics.BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture) % 97;
        return prefix18 + (98 - (int)remainder).ToString("00", CultureInfo.InvariantCulture);
    }

    private static async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> UploadAsync(PortalSession session, string csv, bool withToken = true)
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            form.Add(new StringContent(await session.GetTokenAsync("/Suppliers/Import")), "__RequestVerificationToken");
        }

        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "suppliers.csv");
        var response = await session.Client.PostAsync(new Uri("/Suppliers/Import", UriKind.Relative), form);
        return (response, PortalSession.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static List<(string Line, string Column, string Message)> Errors(AngleSharp.Html.Dom.IHtmlDocument page) =>
        [.. page.QuerySelectorAll("[data-testid=import-error]").Select(tr =>
        {
            var cells = tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
            return (cells[0], cells[1], cells[2]);
        })];

    [Fact]
    public async Task Import_ValidFile_CreatesSuppliersTierHistoryAndInvitesEachContact()
    {
        var lei = Lei("529900IMPORTVALID0");
        var csv = $"""
            {Header}
            Harbour Line Logistics Ltd,gb,{lei},,,,Dana Quay,dana@harbour-line.example,1
            "Rhein Spedition, GmbH",DE,,987-654-321,DE555000111,,Jonas Ufer,jonas@rhein-sped.example,
            """;
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var mailBefore = _portal.SentMail().Count;

        var (response, page) = await UploadAsync(session, csv);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Errors(page));
        Assert.Equal(2, page.QuerySelectorAll("[data-testid=imported-row]").Length);
        Assert.Null(page.QuerySelector("[data-testid=not-invited]"));

        await using var db = _portal.CreateDbContext();
        var harbour = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Lei == lei);
        Assert.Equal(("Harbour Line Logistics Ltd", "GB", SupplierTier.Tier1Critical, SupplierLifecycle.Invited), (harbour.LegalName, harbour.CountryCode, harbour.Tier, harbour.Lifecycle));
        var rhein = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Duns == "987654321");
        Assert.Equal(("Rhein Spedition, GmbH", SupplierTier.Tier3Standard, "DE555000111"), (rhein.LegalName, rhein.Tier, rhein.Eori));

        var decision = await db.TierDecisions.AsNoTracking().SingleAsync(d => d.SupplierId == harbour.Id);
        Assert.Equal((SupplierTier.Tier1Critical, TierDecisionSource.Override), (decision.Tier, decision.Source));
        Assert.Contains("line 2", decision.Justification, StringComparison.Ordinal);
        Assert.False(await db.TierDecisions.AnyAsync(d => d.SupplierId == rhein.Id));

        var invitations = await db.Set<Invitation>().AsNoTracking().Where(i => i.SupplierId == harbour.Id || i.SupplierId == rhein.Id).ToListAsync();
        Assert.Equal(["dana@harbour-line.example", "jonas@rhein-sped.example"], invitations.Select(i => i.Email).Order(StringComparer.Ordinal));
        Assert.All(invitations, i => Assert.Equal(Roles.SupplierAdmin, i.Role));

        var mail = _portal.SentMail().Skip(mailBefore).ToList();
        Assert.Equal(2, mail.Count);
        var dana = mail.Single(m => m.To == "dana@harbour-line.example");
        Assert.Contains("Harbour Line Logistics Ltd", dana.Subject, StringComparison.Ordinal);
        Assert.Contains("/Invitations/Accept?token=", dana.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileWithErrors_ListsEveryProblemByLineAndColumnAndStoresNothing()
    {
        var csv = $"""
            {Header}
            Good Line Carriers Ltd,GB,{Lei("529900GOODLINE0000")},,,,Pat Good,pat@good-line.example,2
            Bad Country Co,ZZ,,,,FR12345678901,Sam Bad,sam@bad-country.example,
            Bad Lei Co,FR,529900BADLEI00000099,,,,Lou Bad,lou@bad-lei.example,
            ,NL,,,NL999888777,,Kim Nameless,not-an-address,5
            No Identifier BV,NL,,,,,Ari None,ari@no-id.example,
            """;
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var mailBefore = _portal.SentMail().Count;

        var (response, page) = await UploadAsync(session, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = Errors(page);
        Assert.Equal(
            [("3", "country"), ("4", "lei"), ("5", "legal_name"), ("5", "contact_email"), ("5", "tier"), ("6", "lei")],
            errors.Select(e => (e.Line, e.Column)).ToList());
        Assert.Contains("check digits", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("at least one identifier", errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", page.QuerySelector("[data-testid=import-errors] h2")!.TextContent, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Good Line Carriers Ltd"));
        Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "pat@good-line.example"));
        Assert.Equal(mailBefore, _portal.SentMail().Count);
    }

    [Fact]
    public async Task Import_DuplicateIdentifiers_InPortfolioOrTwiceInFile_AreLineErrors()
    {
        var csv = $"""
            {Header}
            Meridian Copy Ltd,GB,{DemoData.MeridianLei},,,,Ann Copy,ann@copy.example,
            Twin One Ltd,IE,,111222333,,,Tom Twin,tom@twin-one.example,
            Twin Two Ltd,IE,,111-222-333,,,Tim Twin,tim@twin-two.example,
            Vat Twin Ltd,IE,,,,ie1234567wa,Val Twin,val@vat-twin.example,
            Vat Twin Again Ltd,IE,,,,IE 1234567WA,Vic Twin,vic@vat-twin.example,
            """;
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);

        var (response, page) = await UploadAsync(session, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = Errors(page);
        Assert.Equal([("2", "lei"), ("4", "duns"), ("6", "vat")], errors.Select(e => (e.Line, e.Column)).ToList());
        Assert.Contains("Meridian Freight Services Ltd", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("line 3", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("line 5", errors[2].Message, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName.StartsWith("Twin") || s.LegalName.StartsWith("Vat Twin") || s.LegalName == "Meridian Copy Ltd"));
    }

    [Fact]
    public async Task Import_OversizedOrTooManyLines_IsRefusedWithAMessageAndStoresNothing()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var big = new StringBuilder(Header).Append('\n');
        while (big.Length <= SupplierImport.MaxFileBytes)
        {
            big.Append("Padding Ltd,GB,,,,,").Append(new string('x', 180)).Append(",pad@pad.example,\n");
        }

        var (tooBig, bigPage) = await UploadAsync(session, big.ToString());
        Assert.Equal(HttpStatusCode.OK, tooBig.StatusCode);
        Assert.Contains("larger than 1024 KiB", Assert.Single(Errors(bigPage)).Message, StringComparison.Ordinal);

        var many = new StringBuilder(Header).Append('\n');
        for (var i = 0; i <= SupplierImport.MaxRows; i++)
        {
            many.Append(CultureInfo.InvariantCulture, $"Many {i} Ltd,GB,,{100000000 + i},,,Mo Many,mo{i}@many.example,\n");
        }

        var (_, manyPage) = await UploadAsync(session, many.ToString());
        Assert.Contains($"more than {SupplierImport.MaxRows} suppliers", Assert.Single(Errors(manyPage)).Message, StringComparison.Ordinal);

        var (_, emptyPage) = await UploadAsync(session, Header + "\n");
        Assert.Contains("no suppliers", Assert.Single(Errors(emptyPage)).Message, StringComparison.Ordinal);

        var (_, headerPage) = await UploadAsync(session, "name,country\nA,GB\n");
        Assert.Contains(Errors(headerPage), e => e.Column == "name" && e.Message.StartsWith("Unknown column", StringComparison.Ordinal));
        Assert.Contains(Errors(headerPage), e => e.Column == "legal_name");

        var (_, quotePage) = await UploadAsync(session, $"{Header}\n\"Broken\" Quote Ltd,GB,,123123123,,,Q,q@q.example,\n");
        Assert.Equal("2", Assert.Single(Errors(quotePage)).Line);

        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName.StartsWith("Many ") || s.LegalName == "Padding Ltd"));
    }

    [Fact]
    public async Task Import_WithoutAntiforgeryToken_IsRejected()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, _) = await UploadAsync(session, $"{Header}\nNo Token Ltd,GB,,555444333,,,Nat Token,nat@no-token.example,\n", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "No Token Ltd"));
    }

    [Theory]
    [InlineData(DemoData.SupplierUserEmail)]
    [InlineData(DemoData.OtherSupplierUserEmail)]
    public async Task Import_SupplierUser_IsForbidden(string email)
    {
        using var session = await PortalSession.SignInAsync(_portal, email);
        using var response = await session.Client.GetAsync(new Uri("/Suppliers/Import", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_Download_HasEveryDocumentedColumn()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var csv = await session.Client.GetStringAsync(new Uri("/Suppliers/Import?handler=Template", UriKind.Relative));
        Assert.StartsWith(Header + "\r\n", csv, StringComparison.Ordinal);
    }

    private async Task<HttpClient> ApiClientAsync(string scope)
    {
        var token = await _portal.GetPartnerTokenAsync(scope, "demo-procurement-system");
        var client = _portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Api_ValidCsv_Returns201AndCreatesAndInvites_InvalidCsv_ReturnsRowErrorsAndStoresNothing()
    {
        using var client = await ApiClientAsync("procurement.write");
        using var bad = new StringContent($"{Header}\nApi Good Ltd,GB,,777666555,,,Al Api,al@api-good.example,\nApi Bad Ltd,XX,,,,,Bo Api,bo@api-bad.example,\n", Encoding.UTF8, "text/csv");
        using var refused = await client.PostAsync(new Uri("/api/v1/suppliers/import", UriKind.Relative), bad);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("line 3: country", out _));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("line 3: lei", out _));
            var rows = problem.RootElement.GetProperty("rowErrors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
            Assert.Equal([(3, "country"), (3, "lei")], rows);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Api Good Ltd"));
        }

        using var good = new StringContent($"{Header}\nApi Good Ltd,GB,,777666555,,,Al Api,al@api-good.example,3\n", Encoding.UTF8, "text/csv");
        using var created = await client.PostAsync(new Uri("/api/v1/suppliers/import", UriKind.Relative), good);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("created").GetInt32());
        var supplier = json.RootElement.GetProperty("suppliers")[0];
        Assert.True(supplier.GetProperty("invited").GetBoolean());
        var id = supplier.GetProperty("id").GetGuid();

        await using var after = _portal.CreateDbContext();
        Assert.Equal("777666555", (await after.Suppliers.AsNoTracking().SingleAsync(s => s.Id == id)).Duns);
        Assert.True(await after.Set<Invitation>().AnyAsync(i => i.SupplierId == id && i.Email == "al@api-good.example"));
        Assert.Contains(_portal.SentMail(), m => m.To == "al@api-good.example");
    }

    [Fact]
    public async Task Api_ReadScopeOnly_IsForbidden()
    {
        using var client = await ApiClientAsync("procurement.read");
        using var body = new StringContent($"{Header}\nRead Only Ltd,GB,,121212121,,,Ro Api,ro@read-only.example,\n", Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync(new Uri("/api/v1/suppliers/import", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Read Only Ltd"));
    }

    public sealed class Fixture : IDisposable
    {
        public PortalFactory Portal { get; } = new();

        public void Dispose() => Portal.Dispose();
    }
}
