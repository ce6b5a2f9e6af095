using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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
        Assert.Equal([("Dana Quay", "dana@harbour-line.example"), ("Jonas Ufer", "jonas@rhein-sped.example")],
            invitations.Select(i => (i.ContactName, i.Email)).OrderBy(i => i.Email, StringComparer.Ordinal));
        Assert.All(invitations, i => Assert.Equal(Roles.SupplierAdmin, i.Role));
        Assert.Contains("Dana Quay (dana@harbour-line.example)", page.QuerySelectorAll("[data-testid=imported-row]")[0].TextContent, StringComparison.Ordinal);

        // The supplier page lists the invited contact by name until an account exists.
        var (_, supplierPage) = await session.GetPageAsync($"/Suppliers/{harbour.Id}");
        var invited = Assert.Single(supplierPage.QuerySelectorAll("[data-testid=open-invitation]"));
        Assert.Equal("Dana Quay", invited.QuerySelector("[data-testid=invited-name]")!.TextContent);
        Assert.Contains("dana@harbour-line.example", invited.TextContent, StringComparison.Ordinal);

        var mail = _portal.SentMail().Skip(mailBefore).ToList();
        Assert.Equal(2, mail.Count);
        var dana = mail.Single(m => m.To == "dana@harbour-line.example");
        Assert.Contains("Harbour Line Logistics Ltd", dana.Subject, StringComparison.Ordinal);
        Assert.Contains("/Invitations/Accept?token=", dana.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hello Dana Quay,\n", dana.Text, StringComparison.Ordinal);

        // The acceptance page offers the name the import gave.
        using var invitee = PortalSession.Anonymous(_portal);
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(dana.Text, @"http://\S+/Invitations/Accept\?token=\S+").Value);
        var (_, accept) = await invitee.GetPageAsync(link.PathAndQuery);
        Assert.Equal("Dana Quay", accept.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
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
            Tab Name Ltd,GB,,444333222,,,"Tess{"\t"}Tab",tess@tab-name.example,
            Long Name Ltd,GB,,444333111,,,{new string('n', 201)},lena@long-name.example,
            No Name Ltd,GB,,444333000,,,  ,nina@no-name.example,
            """;
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var mailBefore = _portal.SentMail().Count;

        var (response, page) = await UploadAsync(session, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = Errors(page);
        Assert.Equal(
            [("3", "country"), ("4", "lei"), ("5", "legal_name"), ("5", "contact_email"), ("5", "tier"), ("6", "lei"), ("7", "contact_name"), ("8", "contact_name"), ("9", "contact_name")],
            errors.Select(e => (e.Line, e.Column)).ToList());
        Assert.Contains("control character", errors[6].Message, StringComparison.Ordinal);
        Assert.Contains("longer than 200 characters", errors[7].Message, StringComparison.Ordinal);
        Assert.Equal("Enter the contact's name.", errors[8].Message);
        Assert.Contains("check digits", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("at least one identifier", errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", page.QuerySelector("[data-testid=import-errors] h2")!.TextContent, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Good Line Carriers Ltd"));
        Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "pat@good-line.example"));
        Assert.False(await db.Suppliers.AnyAsync(s => s.Duns == "444333222" || s.Duns == "444333111" || s.Duns == "444333000"));
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
        using var bad = new StringContent($"{Header}\nApi Good Ltd,GB,,777666555,,,Al Api,al@api-good.example,\nApi Bad Ltd,XX,,,,,Bo Api,bo@api-bad.example,\nApi Bell Ltd,GB,,777666444,,,\"Bel\u0007l\",bel@api-bell.example,\n", Encoding.UTF8, "text/csv");
        using var refused = await client.PostAsync(new Uri("/api/v1/suppliers/import", UriKind.Relative), bad);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("line 3: country", out _));
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("line 3: lei", out _));
            Assert.Contains("control character", problem.RootElement.GetProperty("errors").GetProperty("line 4: contact_name")[0].GetString(), StringComparison.Ordinal);
            var rows = problem.RootElement.GetProperty("rowErrors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
            Assert.Equal([(3, "country"), (3, "lei"), (4, "contact_name")], rows);
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
        Assert.Equal("Al Api", supplier.GetProperty("contactName").GetString());
        var id = supplier.GetProperty("id").GetGuid();

        await using var after = _portal.CreateDbContext();
        Assert.Equal("777666555", (await after.Suppliers.AsNoTracking().SingleAsync(s => s.Id == id)).Duns);
        Assert.True(await after.Set<Invitation>().AnyAsync(i => i.SupplierId == id && i.Email == "al@api-good.example" && i.ContactName == "Al Api"));
        Assert.Contains(_portal.SentMail(), m => m.To == "al@api-good.example");
    }

    [Fact]
    public async Task Api_ReadScopeOnly_IsForbidden()
    {
        using var client = await ApiClientAsync("procurement.read");
        using var body = new StringContent($"{Header}\nRead Only Ltd,GB,,121212121,,,Ro Api,ro@read-only.example,\n", Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync(new Uri("/api/v1/suppliers/import", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var invite = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{DemoData.CalderaSupplierId}/invitations", UriKind.Relative),
            new { contactName = "Rita Read", email = "rita@read-only.example" });
        Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Read Only Ltd"));
        Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "rita@read-only.example"));
    }

    [Fact]
    public async Task Api_InviteOneContact_NamesTheFieldInProblems_CreatesTheInvitationWithTheName()
    {
        using var client = await ApiClientAsync("procurement.write");
        var uri = new Uri($"/api/v1/suppliers/{DemoData.CalderaSupplierId}/invitations", UriKind.Relative);

        async Task<JsonElement> RefusedAsync(object body, HttpStatusCode status)
        {
            using var response = await client.PostAsJsonAsync(uri, body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return problem.RootElement.Clone();
        }

        Assert.True((await RefusedAsync(new { email = "cy@caldera.example" }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("contactName", out _));
        var control = await RefusedAsync(new { contactName = "Cy\r\nBcc: x@evil.example", email = "cy@caldera.example" }, HttpStatusCode.BadRequest);
        Assert.Contains("control character", control.GetProperty("errors").GetProperty("contactName")[0].GetString(), StringComparison.Ordinal);
        var both = await RefusedAsync(new { contactName = new string('c', 201), email = "not-an-address", role = "Administrator" }, HttpStatusCode.BadRequest);
        Assert.Equal(["contactName", "email", "role"], both.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        using (var unknown = await client.PostAsJsonAsync(new Uri($"/api/v1/suppliers/{Guid.NewGuid()}/invitations", UriKind.Relative), new { contactName = "Cy Caldera", email = "cy@caldera.example" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "cy@caldera.example" || i.Email == "not-an-address"));
        }

        Assert.DoesNotContain(_portal.SentMail(), m => m.To == "cy@caldera.example");

        using var created = await client.PostAsJsonAsync(uri, new { contactName = "  Cy Caldera ", email = "cy@caldera.example" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal(("Cy Caldera", "cy@caldera.example", Roles.SupplierAdmin), (json.RootElement.GetProperty("contactName").GetString(), json.RootElement.GetProperty("email").GetString(), json.RootElement.GetProperty("role").GetString()));
        await using (var db = _portal.CreateDbContext())
        {
            var stored = await db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.Email == "cy@caldera.example");
            Assert.Equal((DemoData.CalderaSupplierId, "Cy Caldera"), (stored.SupplierId, stored.ContactName));
        }

        Assert.StartsWith("Hello Cy Caldera,\n", Assert.Single(_portal.SentMail(), m => m.To == "cy@caldera.example").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteForm_RequiresTheContactName_RefusesControlCharacters_ListsTheNameOnTheSupplierPage()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        Dictionary<string, string> Fields(string name) => new()
        {
            ["Input.SupplierId"] = DemoData.MeridianSupplierId.ToString(),
            ["Input.ContactName"] = name,
            ["Input.Email"] = "mo@meridian.example",
            ["Input.Role"] = Roles.SupplierContributor,
        };

        foreach (var (name, message) in new[] { (string.Empty, "Enter the contact's name."), ("Mo\tMeridian", "control character"), (new string('m', 201), "longer than 200 characters") })
        {
            using var refused = await session.PostFormAsync("/Invitations/Create", Fields(name));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = PortalSession.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Contains(message, page.QuerySelector("[data-testid=error-ContactName]")!.TextContent, StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "mo@meridian.example"));
        }

        using var sent = await session.PostFormAsync("/Invitations/Create", Fields("Mo Meridian"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var (_, supplierPage) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}");
        Assert.Contains(supplierPage.QuerySelectorAll("[data-testid=invited-name]"), e => e.TextContent == "Mo Meridian");
        Assert.StartsWith("Hello Mo Meridian,\n", Assert.Single(_portal.SentMail(), m => m.To == "mo@meridian.example").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onboard_OneSupplier_FieldErrorsStoreNothing_ThenCreatedWithTierAndContactInvited()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (listResponse, list) = await session.GetPageAsync("/Suppliers");
        Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
        Assert.NotNull(list.QuerySelector("a[data-testid=onboard-link][href='/Suppliers/Onboard']"));

        var fields = new Dictionary<string, string>
        {
            ["Input.LegalName"] = "Solent Reefer Services Ltd",
            ["Input.Country"] = "XX",
            ["Input.Duns"] = "123",
            ["Input.Vat"] = DemoData.MeridianLei,
            ["Input.ContactName"] = "Rae\u0007Solent",
            ["Input.ContactEmail"] = "rae@",
            ["Input.Tier"] = "4",
        };
        using (var refused = await session.PostFormAsync("/Suppliers/Onboard", fields))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = PortalSession.Parse(await refused.Content.ReadAsStringAsync());
            foreach (var field in new[] { "Country", "Duns", "Vat", "ContactName", "ContactEmail", "Tier" })
            {
                Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"[data-testid=error-{field}]")?.TextContent), field);
            }

            Assert.Contains("control character", page.QuerySelector("[data-testid=error-ContactName]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("true", page.QuerySelector("#Input_Country")!.GetAttribute("aria-invalid"));
            Assert.Equal("Solent Reefer Services Ltd", page.QuerySelector("#Input_LegalName")!.GetAttribute("value"));
        }

        // An identifier already in the portfolio is named at its field.
        fields["Input.Country"] = "GB";
        fields["Input.Duns"] = string.Empty;
        fields["Input.Vat"] = string.Empty;
        fields["Input.Lei"] = DemoData.MeridianLei;
        fields["Input.ContactName"] = "Rae Solent";
        fields["Input.ContactEmail"] = "rae@solent-reefer.example";
        fields["Input.Tier"] = "2";
        using (var duplicate = await session.PostFormAsync("/Suppliers/Onboard", fields))
        {
            var page = PortalSession.Parse(await duplicate.Content.ReadAsStringAsync());
            Assert.Contains("Meridian Freight Services Ltd", page.QuerySelector("[data-testid=error-Lei]")!.TextContent, StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Solent Reefer Services Ltd"));
            Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == "rae@solent-reefer.example"));
        }

        fields["Input.Lei"] = Lei("529900SOLENTREEF00");
        using var created = await session.PostFormAsync("/Suppliers/Onboard", fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        await using (var db = _portal.CreateDbContext())
        {
            var solent = await db.Suppliers.AsNoTracking().SingleAsync(s => s.LegalName == "Solent Reefer Services Ltd");
            Assert.Equal($"/Suppliers/{solent.Id:D}", created.Headers.Location!.OriginalString);
            Assert.Equal((SupplierTier.Tier2Significant, SupplierLifecycle.Invited, fields["Input.Lei"]), (solent.Tier, solent.Lifecycle, solent.Lei));
            Assert.Equal("Initial tier given when the supplier was onboarded.", (await db.TierDecisions.AsNoTracking().SingleAsync(d => d.SupplierId == solent.Id)).Justification);
            var invitation = await db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.SupplierId == solent.Id);
            Assert.Equal(("Rae Solent", "rae@solent-reefer.example", Roles.SupplierAdmin), (invitation.ContactName, invitation.Email, invitation.Role));
        }

        var (_, supplierPage) = await session.GetPageAsync(created.Headers.Location!.OriginalString);
        Assert.Contains("Rae Solent (rae@solent-reefer.example) is invited", supplierPage.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Rae Solent", supplierPage.QuerySelector("[data-testid=invited-name]")!.TextContent);
        Assert.StartsWith("Hello Rae Solent,\n", Assert.Single(_portal.SentMail(), m => m.To == "rae@solent-reefer.example").Text, StringComparison.Ordinal);

        using var supplierUser = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var denied = await supplierUser.Client.GetAsync(new Uri("/Suppliers/Onboard", UriKind.Relative));
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_OnboardOneSupplier_ProblemsNameTheBodyFields_ThenCreatedAndInvited()
    {
        using var client = await ApiClientAsync("procurement.write");
        var uri = new Uri("/api/v1/suppliers", UriKind.Relative);
        using (var refused = await client.PostAsJsonAsync(uri, new { legalName = "Api Onboard Ltd", country = "GB", contactName = "Ona\tApi", contactEmail = "ona@api-onboard.example", tier = "9" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(["contactName", "lei", "tier"], problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Api Onboard Ltd"));
        }

        using var created = await client.PostAsJsonAsync(uri, new { legalName = "Api Onboard Ltd", country = "gb", duns = "313-131-313", contactName = "Ona Api", contactEmail = "ona@api-onboard.example" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/suppliers/{id:D}", created.Headers.Location!.OriginalString);
        Assert.Equal(("Tier3Standard", "Ona Api", true), (json.RootElement.GetProperty("tier").GetString(), json.RootElement.GetProperty("contactName").GetString(), json.RootElement.GetProperty("invited").GetBoolean()));
        await using (var db = _portal.CreateDbContext())
        {
            var supplier = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == id);
            Assert.Equal(("GB", "313131313"), (supplier.CountryCode, supplier.Duns));
            Assert.True(await db.Set<Invitation>().AnyAsync(i => i.SupplierId == id && i.ContactName == "Ona Api"));
        }

        using var again = await client.PostAsJsonAsync(uri, new { legalName = "Api Onboard Again Ltd", country = "GB", duns = "313131313", contactName = "Ona Api", contactEmail = "ona2@api-onboard.example" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        using var duplicate = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Contains("Api Onboard Ltd", duplicate.RootElement.GetProperty("errors").GetProperty("duns")[0].GetString(), StringComparison.Ordinal);
    }

    public sealed class Fixture : IDisposable
    {
        public PortalFactory Portal { get; } = new();

        public void Dispose() => Portal.Dispose();
    }
}
