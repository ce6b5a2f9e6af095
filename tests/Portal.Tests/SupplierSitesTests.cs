using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>One Portal for the site tests; each test works on a different demo supplier so their order does not matter.</summary>
public sealed class SupplierSitesFixture : IDisposable
{
    public PortalFactory Portal { get; } = new();

    public void Dispose() => Portal.Dispose();
}

/// <summary>
/// Supplier sites through procurement's page, the supplier's organisation page and the API, and the audits section
/// of the supplier page, all on one shared host.
/// </summary>
public sealed class SupplierSitesTests(SupplierSitesFixture fixture) : IClassFixture<SupplierSitesFixture>
{
    private PortalFactory Portal => fixture.Portal;

    private static Dictionary<string, string> SiteFields(string name, string country = "IE", string city = "Cork", string function = "CrossDock", long? version = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Function"] = function,
            ["Input.AddressLine1"] = "Unit 3, Harbour Business Park",
            ["Input.City"] = city,
            ["Input.PostalCode"] = "T12 ZZ00",
            ["Input.Country"] = country,
            ["Input.Notes"] = "Night shift only on weekdays.",
        };
        if (version is { } v)
        {
            fields["Input.Version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return fields;
    }

    private async Task<List<AuditEntry>> SiteEntriesAsync(Guid supplierId)
    {
        await using var db = Portal.CreateDbContext();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SupplierId == supplierId && e.Kind.StartsWith("site.")).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task ProcurementSitePage_AddChangeRetire_FieldErrorsDuplicateNameVersionAndTimeline()
    {
        var supplier = DemoData.OakridgeSupplierId;
        using var session = await PortalSession.SignInAsync(Portal, DemoData.ProcurementUserEmail);
        var form = $"/Suppliers/{supplier}/Sites";

        // Everything wrong at once: each message at its field, nothing stored, no 500.
        var bad = SiteFields(string.Empty, country: "XX", function: "Spaceport");
        bad["Input.City"] = "Cork\tCity";
        using (var refused = await session.PostFormAsync(form, bad))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = PortalSession.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Contains("Give the site a name", page.QuerySelector("[data-testid=error-Name]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("\"XX\" is not a two-letter ISO 3166", page.QuerySelector("[data-testid=error-Country]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Choose one of", page.QuerySelector("[data-testid=error-Function]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("one line of plain text", page.QuerySelector("[data-testid=error-City]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("true", page.QuerySelector("#Input_Country")!.GetAttribute("aria-invalid"));
            Assert.Equal("XX", page.QuerySelector("#Input_Country")!.GetAttribute("value"));
        }

        await using (var db = Portal.CreateDbContext())
        {
            Assert.Equal(1, await db.Set<SupplierSite>().CountAsync(s => s.SupplierId == supplier));
        }

        using (var added = await session.PostFormAsync(form, SiteFields("Cork cross-dock")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            Assert.Equal($"/Suppliers/{supplier:D}#sites-heading", added.Headers.Location!.OriginalString);
        }

        // The same name in other letter case is the same site.
        using (var duplicate = await session.PostFormAsync(form, SiteFields("  cork CROSS-DOCK ")))
        {
            Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
            var page = PortalSession.Parse(await duplicate.Content.ReadAsStringAsync());
            Assert.Contains("already has a site in use with this name", page.QuerySelector("[data-testid=error-Name]")!.TextContent, StringComparison.Ordinal);
        }

        SupplierSite site;
        await using (var db = Portal.CreateDbContext())
        {
            site = await db.Set<SupplierSite>().AsNoTracking().SingleAsync(s => s.SupplierId == supplier && s.Name == "Cork cross-dock");
            Assert.Equal(("Cork", "IE", SiteFunction.CrossDock, "Night shift only on weekdays."), (site.City, site.CountryCode, site.Function, site.Notes));
        }

        var (_, supplierPage) = await session.GetPageAsync($"/Suppliers/{supplier}");
        var rows = supplierPage.QuerySelectorAll("[data-testid=site-row]").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("Cork cross-dock", StringComparison.Ordinal) && r.Contains("Cross-dock or consolidation hub", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Dublin Port bonded warehouse", StringComparison.Ordinal));
        Assert.Contains(supplierPage.QuerySelectorAll("[data-testid=timeline-entry]"), e => e.TextContent.Contains("site.added", StringComparison.Ordinal)
            && e.TextContent.Contains("Cork cross-dock", StringComparison.Ordinal) && e.TextContent.Contains(DemoData.ProcurementUserEmail, StringComparison.Ordinal));

        // Change: the form opens with the stored values; a save with the version seen moves the city.
        var edit = $"/Suppliers/{supplier}/Sites/{site.Id}";
        var (_, editPage) = await session.GetPageAsync(edit);
        Assert.Equal("Cork cross-dock", editPage.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Equal(site.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), editPage.QuerySelector("#Input_Version")!.GetAttribute("value"));
        using (var changed = await session.PostFormAsync(edit, SiteFields("Cork cross-dock", city: "Ringaskiddy", version: site.Version)))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        // A save from a form opened before that change is refused, and the page shows the stored site.
        using (var stale = await session.PostFormAsync(edit, SiteFields("Cork cross-dock", city: "Cobh", version: site.Version)))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            var page = PortalSession.Parse(await stale.Content.ReadAsStringAsync());
            Assert.Contains("Someone else changed this site", page.QuerySelector("[data-testid=form-error]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Ringaskiddy", page.QuerySelector("#Input_City")!.GetAttribute("value"));
        }

        using (var retired = await session.PostFormAsync(edit + "?handler=Retire", new Dictionary<string, string>(), tokenFrom: edit))
        {
            Assert.Equal(HttpStatusCode.Redirect, retired.StatusCode);
        }

        // Retired: kept, listed apart, its name free for a new site.
        using (var again = await session.PostFormAsync(form, SiteFields("Cork cross-dock", city: "Cork")))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        await using (var db = Portal.CreateDbContext())
        {
            var cork = await db.Set<SupplierSite>().AsNoTracking().Where(s => s.SupplierId == supplier && s.Name == "Cork cross-dock").OrderBy(s => s.CreatedAt).ToListAsync();
            Assert.Equal(2, cork.Count);
            Assert.Equal(("Ringaskiddy", true), (cork[0].City, cork[0].RetiredAt is not null));
            Assert.Null(cork[1].RetiredAt);
        }

        (_, supplierPage) = await session.GetPageAsync($"/Suppliers/{supplier}");
        Assert.Contains("Cork cross-dock (Ringaskiddy, IE)", supplierPage.QuerySelector("[data-testid=retired-sites]")!.TextContent, StringComparison.Ordinal);
        var kinds = (await SiteEntriesAsync(supplier)).Select(e => e.Kind).ToList();
        Assert.Equal([SiteAuditKinds.Added, SiteAuditKinds.Changed, SiteAuditKinds.Retired, SiteAuditKinds.Added], kinds);
        Assert.Contains("city", (await SiteEntriesAsync(supplier))[1].Details, StringComparison.Ordinal);

        // Staff without procurement rights may read the supplier page but not the site form.
        await Portal.CreateUserAsync("reviewer-sites@operator.example", Core.Identity.Roles.SecurityReviewer);
        using var reviewer = await PortalSession.SignInAsync(Portal, "reviewer-sites@operator.example");
        using var forbidden = await reviewer.Client.GetAsync(new Uri(form, UriKind.Relative));
        Assert.Contains("/Account/AccessDenied", forbidden.Headers.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationSites_SupplierUser_MaintainsOwnSites_AnotherOrganisationsSiteNotFound()
    {
        using var meridian = await PortalSession.SignInAsync(Portal, DemoData.SupplierUserEmail);
        var (response, list) = await meridian.GetPageAsync("/Organisation/Sites");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = list.QuerySelectorAll("[data-testid=org-site]").Select(r => r.TextContent).ToList();
        Assert.Contains(names, n => n.Contains("Felixstowe consolidation shed", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("Stuttgart plant", StringComparison.Ordinal));

        // Caldera's site: not found to Meridian, to read, change or retire.
        using (var read = await meridian.Client.GetAsync(new Uri($"/Organisation/Sites/{DemoSites.CalderaPlantId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var change = await meridian.PostFormAsync($"/Organisation/Sites/{DemoSites.CalderaPlantId}", SiteFields("Planted", country: "GB"), tokenFrom: "/Organisation/Sites"))
        {
            Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);
        }

        using (var retire = await meridian.PostFormAsync($"/Organisation/Sites/{DemoSites.CalderaPlantId}?handler=Retire", new Dictionary<string, string>(), tokenFrom: "/Organisation/Sites"))
        {
            Assert.Equal(HttpStatusCode.NotFound, retire.StatusCode);
        }

        await using (var db = Portal.CreateDbContext())
        {
            var caldera = await db.Set<SupplierSite>().AsNoTracking().SingleAsync(s => s.Id == DemoSites.CalderaPlantId);
            Assert.Equal(("Stuttgart plant", (DateTimeOffset?)null, 1L), (caldera.Name, caldera.RetiredAt, caldera.Version));
        }

        // Meridian's own: a bad country is named at its field; a good site is added, listed and on the supplier's timeline.
        using (var bad = await meridian.PostFormAsync("/Organisation/Sites", SiteFields("Tilbury bonded store", country: "UK")))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var page = PortalSession.Parse(await bad.Content.ReadAsStringAsync());
            Assert.Contains("\"UK\" is not a two-letter ISO 3166", page.QuerySelector("[data-testid=error-Country]")!.TextContent, StringComparison.Ordinal);
        }

        using (var added = await meridian.PostFormAsync("/Organisation/Sites", SiteFields("Tilbury bonded store", country: "gb", city: "Tilbury", function: "WarehouseDistribution")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        (_, list) = await meridian.GetPageAsync("/Organisation/Sites");
        Assert.Contains(list.QuerySelectorAll("[data-testid=org-site]"), r => r.TextContent.Contains("Tilbury bonded store", StringComparison.Ordinal) && r.TextContent.Contains("GB", StringComparison.Ordinal));
        var entry = (await SiteEntriesAsync(DemoData.MeridianSupplierId)).Last();
        Assert.Equal((SiteAuditKinds.Added, DemoData.SupplierUserEmail), (entry.Kind, entry.Actor));

        // Operator staff use the supplier page, not the organisation page.
        using var procurement = await PortalSession.SignInAsync(Portal, DemoData.ProcurementUserEmail);
        using var staff = await procurement.Client.GetAsync(new Uri("/Organisation/Sites", UriKind.Relative));
        Assert.Contains("/Account/AccessDenied", staff.Headers.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SitesApi_BadCountry400NamesField_CreateChangeRetire_StaleVersion409_ReadScope403()
    {
        var supplier = DemoData.CalderaSupplierId;
        using var client = await ApiClientAsync("procurement.write");
        var path = $"/api/v1/suppliers/{supplier}/sites";

        using (var bad = await client.PostAsJsonAsync(path, new { name = "Leipzig hub", function = "CrossDock", addressLine1 = "Am Exer 9", city = "Leipzig", country = "DDR" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            var errors = problem.RootElement.GetProperty("errors");
            Assert.Contains("ISO 3166", errors.GetProperty("country")[0].GetString(), StringComparison.Ordinal);
            Assert.False(errors.TryGetProperty("name", out _));
        }

        using (var unknownFunction = await client.PostAsJsonAsync(path, new { name = "Leipzig hub", function = "3", addressLine1 = "Am Exer 9", city = "Leipzig", country = "DE" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknownFunction.StatusCode);
            Assert.Contains("\"function\"", await unknownFunction.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Guid id;
        long version;
        using (var created = await client.PostAsJsonAsync(path, new { name = "Leipzig hub", function = "crossdock", addressLine1 = "Am Exer 9", city = "Leipzig", country = "de" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            id = body.RootElement.GetProperty("id").GetGuid();
            version = body.RootElement.GetProperty("version").GetInt64();
            Assert.Equal(("CrossDock", "DE"), (body.RootElement.GetProperty("function").GetString(), body.RootElement.GetProperty("country").GetString()));
            Assert.Equal($"{path}/{id:D}", created.Headers.Location!.OriginalString);
        }

        using (var duplicate = await client.PostAsJsonAsync(path, new { name = "LEIPZIG HUB", function = "Office", addressLine1 = "x", city = "Leipzig", country = "DE" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
            Assert.Contains("\"name\"", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var change = new { name = "Leipzig hub", function = "CrossDock", addressLine1 = "Am Exer 11", city = "Leipzig", country = "DE", version };
        using (var changed = await client.PutAsJsonAsync($"{path}/{id}", change))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        using (var stale = await client.PutAsJsonAsync($"{path}/{id}", change))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        using (var retired = await client.DeleteAsync(new Uri($"{path}/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
            Assert.Contains("\"retiredAt\":\"", await retired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var twice = await client.DeleteAsync(new Uri($"{path}/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        using (var otherSupplier = await client.DeleteAsync(new Uri($"/api/v1/suppliers/{DemoData.MeridianSupplierId}/sites/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, otherSupplier.StatusCode);
        }

        var entries = await SiteEntriesAsync(supplier);
        Assert.Equal([SiteAuditKinds.Added, SiteAuditKinds.Changed, SiteAuditKinds.Retired], entries.Select(e => e.Kind));
        Assert.All(entries, e => Assert.Equal("client:demo-procurement-system", e.Actor));

        using var reader = await ApiClientAsync("procurement.read");
        using var refused = await reader.PostAsJsonAsync(path, new { name = "Read only", function = "Office", addressLine1 = "x", city = "Leipzig", country = "DE" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AuditForm_OffersRecordedSites_SupplierPageListsTheAudit()
    {
        var supplier = DemoData.NorthgateSupplierId;
        using var auditor = await PortalSession.SignInAsync(Portal, DemoAudit.AuditorUserEmail);
        var create = $"/Audits/Create?supplierId={supplier}";
        var (_, form) = await auditor.GetPageAsync(create);
        var choices = form.QuerySelectorAll("[data-testid=scope-site-choices] input[type=checkbox]").Select(c => c.GetAttribute("value")).ToList();
        Assert.Equal(["Maasvlakte container terminal gate (Rotterdam, NL)", "Rotterdam Waalhaven yard (Rotterdam, NL)", "Venlo cross-dock (Venlo, NL)"], choices);

        using (var created = await auditor.PostFormAsync(create, new Dictionary<string, string>
        {
            ["SupplierId"] = supplier.ToString(), ["Type"] = "OnSite", ["Objectives"] = "Check the cross-dock's seal and cage controls.",
            ["SiteChoices"] = "Venlo cross-dock (Venlo, NL)", ["ScopeSites"] = "gatehouse and high-value cages", ["CriteriaClauses"] = "8",
            ["Declaration"] = "independent",
        }, tokenFrom: create))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        Guid auditId;
        await using (var db = Portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.SupplierId == supplier);
            Assert.Equal("Venlo cross-dock (Venlo, NL); gatehouse and high-value cages", audit.ScopeSites);
            auditId = audit.Id;
            db.Add(new AuditFinding
            {
                Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = supplier, Reference = "8.1", Grade = AuditGrade.MinorNonconformity,
                Evidence = "Cage keys signed out without a name.", Site = "Venlo cross-dock", RecordedAt = DateTimeOffset.UtcNow, RecordedBy = audit.LeadAuditorId,
            });
            await db.SaveChangesAsync();
        }

        using var procurement = await PortalSession.SignInAsync(Portal, DemoData.ProcurementUserEmail);
        var (_, page) = await procurement.GetPageAsync($"/Suppliers/{supplier}");
        var row = Assert.Single(page.QuerySelectorAll("[data-testid=audit-row]"));
        Assert.Contains("On-site audit", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Planned: team forming", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not yet agreed", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Venlo cross-dock (Venlo, NL); gatehouse", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", row.QuerySelector("[data-testid=audit-findings]")!.TextContent.Trim());
        Assert.Equal($"/Audits/{auditId}", row.QuerySelector("[data-testid=audit-link]")!.GetAttribute("href"));
        await using (var db = Portal.CreateDbContext())
        {
            var lead = await db.Users.Where(u => u.Email == DemoAudit.AuditorUserEmail).Select(u => u.DisplayName).SingleAsync();
            Assert.Contains(lead, row.TextContent, StringComparison.Ordinal);
        }

        // Procurement may open audits but not plan them; the page offers the link only to those who may.
        Assert.Null(page.QuerySelector("[data-testid=plan-audit-link]"));
    }

    private async Task<HttpClient> ApiClientAsync(string scope)
    {
        var token = await Portal.GetPartnerTokenAsync(scope, "demo-procurement-system");
        var client = Portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
