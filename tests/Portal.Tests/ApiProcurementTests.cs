using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.TestSupport;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The procurement API against the Suppliers page on one host: list filters, sort and paging (page and API), the
/// supplier profile and its paged timeline, the export, and the residual-risk sign-off with real tokens.
/// </summary>
public sealed class ApiProcurementTests(ApiProcurementTests.Fixture fixture) : IClassFixture<ApiProcurementTests.Fixture>
{
    private const string ProcurementClient = "demo-procurement-system";
    private const string RiskClient = "demo-risk-signoff-system";
    private readonly PortalFactory _portal = fixture.Portal;

    // ---- List: filter results, a non-name sort, page 2 (API and page) ----

    public static TheoryData<string> Filters() => new() { "status=Approved", "status=Rejected", "risk=Critical", "risk=High", "overdue=true" };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListFilter_ApiAndPage_ReturnExactlyTheMatchingSuppliers(string filter)
    {
        var expected = await ExpectedNamesAsync(filter);
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < await CountAllAsync(), $"{filter} must leave some suppliers out for the test to mean anything");

        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var json = await GetJsonAsync(client, $"/api/v1/suppliers?{filter}&pageSize=200");
        var apiNames = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legalName").GetString()!).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), apiNames.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, json.RootElement.GetProperty("total").GetInt32());

        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync($"/Suppliers?{filter}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pageNames = page.QuerySelectorAll("[data-testid=supplier-link]").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), pageNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListSort_ByScore_ApiAscendingAndPageDescending_InOrderWithUnscoredLast()
    {
        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var json = await GetJsonAsync(client, "/api/v1/suppliers?sort=Score&pageSize=200");
        var scores = json.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("overallScore").ValueKind == JsonValueKind.Null ? (decimal?)null : i.GetProperty("overallScore").GetDecimal()).ToList();
        var scored = scores.TakeWhile(s => s is not null).Select(s => s!.Value).ToList();
        Assert.True(scored.Count >= 20, "the fixture scores most of its suppliers");
        Assert.Equal(scored.Order(), scored);
        Assert.All(scores.Skip(scored.Count), s => Assert.Null(s));

        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/Suppliers?sort=ScoreDescending&country=PT");
        var pageScores = page.QuerySelectorAll("[data-testid=supplier-row]").Select(r => r.Children[4].TextContent.Trim()).ToList();
        var pageScored = pageScores.TakeWhile(s => s != "–").Select(s => decimal.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.True(pageScored.Count >= 20);
        Assert.Equal(pageScored.OrderDescending(), pageScored);
        Assert.All(pageScores.Skip(pageScored.Count), s => Assert.Equal("–", s));
    }

    [Fact]
    public async Task ListPaging_Page2_IsTheNextSuppliersWithTheSameTotal_ApiAndPage()
    {
        var total = await CountAllAsync();
        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var first = await GetJsonAsync(client, "/api/v1/suppliers?pageSize=10&page=1");
        using var second = await GetJsonAsync(client, "/api/v1/suppliers?pageSize=10&page=2");
        var one = Names(first);
        var two = Names(second);
        Assert.Equal(10, two.Count);
        Assert.Empty(one.Intersect(two));
        Assert.Equal(total, second.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2, second.RootElement.GetProperty("page").GetInt32());
        Assert.Equal((total + 9) / 10, second.RootElement.GetProperty("pageCount").GetInt32());
        await using (var db = _portal.CreateDbContext())
        {
            var sorted = await db.Suppliers.OrderBy(s => s.LegalName).ThenBy(s => s.Id).Select(s => s.LegalName).ToListAsync();
            Assert.Equal(sorted.Skip(10).Take(10), two);
        }

        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, pageOne) = await session.GetPageAsync("/Suppliers");
        var (_, pageTwo) = await session.GetPageAsync("/Suppliers?page=2");
        var webOne = pageOne.QuerySelectorAll("[data-testid=supplier-link]").Select(a => a.TextContent.Trim()).ToList();
        var webTwo = pageTwo.QuerySelectorAll("[data-testid=supplier-link]").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(SupplierList.DefaultPageSize, webOne.Count);
        Assert.Equal(total - SupplierList.DefaultPageSize, webTwo.Count);
        Assert.Empty(webOne.Intersect(webTwo));
        Assert.StartsWith($"{total} supplier(s)", pageTwo.QuerySelector("[data-testid=result-count]")!.TextContent, StringComparison.Ordinal);
    }

    // ---- Supplier profile and timeline ----

    [Fact]
    public async Task GetSupplier_ReturnsTheProfileSectionsThePageShows()
    {
        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var json = await GetJsonAsync(client, $"/api/v1/suppliers/{DemoData.MeridianSupplierId}");
        var p = json.RootElement;
        Assert.Equal("Meridian Freight Services Ltd", p.GetProperty("legalName").GetString());
        Assert.Equal(DemoData.MeridianLei, p.GetProperty("identifiers").GetProperty("lei").GetString());
        Assert.Contains(p.GetProperty("contacts").EnumerateArray(), c => c.GetProperty("email").GetString() == DemoData.SupplierUserEmail);

        var tier = p.GetProperty("tierHistory").EnumerateArray().Single(t => t.GetProperty("source").GetString() == "Override");
        Assert.Equal("Tier3Standard", tier.GetProperty("tier").GetString());
        Assert.Equal("Tier2Significant", tier.GetProperty("previousTier").GetString());
        Assert.Equal(Fixture.TierReason, tier.GetProperty("justification").GetString());

        var assessments = p.GetProperty("assessments").EnumerateArray().ToList();
        Assert.Equal(2, assessments.Count);
        var scored = assessments.Single(a => a.GetProperty("id").GetGuid() == Fixture.ScoredAssessmentId);
        Assert.Equal("Approved", scored.GetProperty("state").GetString());
        Assert.Equal(61.5m, scored.GetProperty("overallScore").GetDecimal());
        var open = assessments.Single(a => a.GetProperty("id").GetGuid() == DemoData.MeridianAssessmentId);
        Assert.Equal("Issued", open.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.String, open.GetProperty("dueDate").ValueKind);
        Assert.False(open.GetProperty("overdue").GetBoolean());

        var trend = Assert.Single(p.GetProperty("scoreTrend").EnumerateArray());
        Assert.Equal(61.5m, trend.GetProperty("score").GetDecimal());
        Assert.Equal(Fixture.ScoredAssessmentId, trend.GetProperty("assessmentId").GetGuid());

        var finding = Assert.Single(p.GetProperty("findings").EnumerateArray());
        Assert.Equal(Fixture.FindingSummary, finding.GetProperty("summary").GetString());
        Assert.Equal("MinorNonconformity", finding.GetProperty("grade").GetString());
        var action = Assert.Single(p.GetProperty("correctiveActions").EnumerateArray());
        Assert.Equal("ImplementationDue", action.GetProperty("state").GetString());
        Assert.True(action.GetProperty("late").GetBoolean());
        Assert.Equal("MSKU1234565", Assert.Single(p.GetProperty("incidents").EnumerateArray()).GetProperty("shipmentReference").GetString());
        var credential = Assert.Single(p.GetProperty("credentials").EnumerateArray());
        Assert.Equal("GBAEOF1234567", credential.GetProperty("number").GetString());
        Assert.Equal("Verified", credential.GetProperty("verificationState").GetString());
        var consent = Assert.Single(p.GetProperty("sharingConsents").EnumerateArray(), c => c.GetProperty("partnerClientId").GetString() == "northwind-logistics");
        Assert.True(consent.GetProperty("live").GetBoolean());

        var site = Assert.Single(p.GetProperty("sites").EnumerateArray(), s => s.GetProperty("name").GetString() == "Felixstowe cross-dock");
        Assert.Equal("CrossDock", site.GetProperty("function").GetString());
        Assert.Equal("Dock Road 4", site.GetProperty("addressLine1").GetString());
        await using (var db = _portal.CreateDbContext())
        {
            var sites = await db.Set<SupplierSite>().Where(s => s.SupplierId == DemoData.MeridianSupplierId).Select(s => s.Id).ToListAsync();
            Assert.Equal(sites.Order(), p.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).Order());
            var audits = await db.Set<Core.SecondPartyAudits.SupplierAudit>().Where(a => a.SupplierId == DemoData.MeridianSupplierId).Select(a => a.Id).ToListAsync();
            Assert.NotEmpty(audits);
            Assert.Equal(audits.Order(), p.GetProperty("audits").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).Order());
        }

        var timeline = p.GetProperty("timeline");
        Assert.Equal(1, timeline.GetProperty("page").GetInt32());
        Assert.True(timeline.GetProperty("total").GetInt32() >= Fixture.TimelineEvents);
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("details").GetString() == "Timeline event 30");
        Assert.DoesNotContain(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("details").GetString() == "About Caldera only.");
    }

    [Fact]
    public async Task GetTimeline_Pages_NewestFirstDistinctAndCounted()
    {
        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var first = await GetJsonAsync(client, $"/api/v1/suppliers/{DemoData.MeridianSupplierId}/timeline?pageSize=10");
        using var second = await GetJsonAsync(client, $"/api/v1/suppliers/{DemoData.MeridianSupplierId}/timeline?page=2&pageSize=10");
        await using var db = _portal.CreateDbContext();
        var total = await db.Set<AuditEntry>().CountAsync(e => e.SupplierId == DemoData.MeridianSupplierId);
        var newest = await db.Set<AuditEntry>().Where(e => e.SupplierId == DemoData.MeridianSupplierId).OrderByDescending(e => e.Sequence)
            .Select(e => e.Sequence).Take(20).ToListAsync();

        static List<long> Sequences(JsonDocument d) => d.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(newest.Take(10), Sequences(first));
        Assert.Equal(newest.Skip(10).Take(10), Sequences(second));
        Assert.Equal(total, second.RootElement.GetProperty("total").GetInt32());
        Assert.Equal((total + 9) / 10, second.RootElement.GetProperty("pageCount").GetInt32());
        Assert.Equal($"/api/v1/suppliers/{DemoData.MeridianSupplierId:D}/timeline?page=3&pageSize=10", second.RootElement.GetProperty("next").GetString());

        using var bad = await client.GetAsync(new Uri($"/api/v1/suppliers/{DemoData.MeridianSupplierId}/timeline?pageSize=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var badJson = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.True(badJson.RootElement.GetProperty("errors").TryGetProperty("pageSize", out _));
        using var unknown = await client.GetAsync(new Uri($"/api/v1/suppliers/{Guid.NewGuid()}/timeline", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Profile_OnlyForOperatorScopedTokens_NoSupplierOrPartnerOrRiskOnlyCallerReadsIt()
    {
        // A supplier user's cookie (Meridian) does not open the API at all, for its own or another organisation's id.
        using var supplier = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        foreach (var id in new[] { DemoData.CalderaSupplierId, DemoData.MeridianSupplierId })
        {
            using var response = await supplier.Client.GetAsync(new Uri($"/api/v1/suppliers/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("Caldera", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var timeline = await supplier.Client.GetAsync(new Uri($"/api/v1/suppliers/{id}/timeline", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, timeline.StatusCode);
        }

        // A partner's token (gateway audience) is refused; so is a token that carries only the risk sign-off scope.
        using var partner = _portal.CreateClient();
        partner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _portal.GetPartnerTokenAsync());
        using var partnerResponse = await partner.GetAsync(new Uri($"/api/v1/suppliers/{DemoData.CalderaSupplierId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, partnerResponse.StatusCode);
        using var riskOnly = await ApiClientAsync(RiskClient, "risk.signoff");
        using var riskResponse = await riskOnly.GetAsync(new Uri($"/api/v1/suppliers/{DemoData.CalderaSupplierId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, riskResponse.StatusCode);
        using var riskExport = await riskOnly.GetAsync(new Uri("/api/v1/suppliers/export?format=csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, riskExport.StatusCode);
    }

    // ---- Export ----

    [Fact]
    public async Task Export_CsvAndXlsx_ParseBackToTheFilteredSortedList()
    {
        await using (var db = _portal.CreateDbContext())
        {
            var expected = await db.Suppliers.Where(s => s.RiskRating == RiskRating.High && s.OverallScore != null)
                .OrderByDescending(s => s.OverallScore).Select(s => s.LegalName).ToListAsync();
            using var client = await ApiClientAsync(ProcurementClient, "procurement.read");

            using var csv = await client.GetAsync(new Uri("/api/v1/suppliers/export?format=csv&risk=High&sort=ScoreDescending", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            Assert.EndsWith(".csv", csv.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
            var csvRows = Rows(await csv.Content.ReadAsByteArrayAsync(), ExcelType.CSV);
            Assert.Equal(expected, csvRows.Select(r => (string)r["Supplier"]!).Where(n => expected.Contains(n)).ToList());
            Assert.All(csvRows, r => Assert.Equal("High", r["Risk"]?.ToString()));
            Assert.Equal(await db.Suppliers.CountAsync(s => s.RiskRating == RiskRating.High), csvRows.Count);

            using var xlsx = await client.GetAsync(new Uri("/api/v1/suppliers/export?format=XLSX&status=Approved&country=pt", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
            var xlsxRows = Rows(await xlsx.Content.ReadAsByteArrayAsync(), ExcelType.XLSX);
            var approved = await db.Suppliers.Where(s => s.AssuranceStatus == AssuranceStatus.Approved && s.CountryCode == "PT")
                .OrderBy(s => s.LegalName).Select(s => s.LegalName).ToListAsync();
            Assert.Equal(approved, xlsxRows.Select(r => r["Supplier"]?.ToString() ?? string.Empty).ToList());
            Assert.All(xlsxRows, r => Assert.Equal("PT", r["Country"]?.ToString()));
        }
    }

    [Theory]
    [InlineData("/api/v1/suppliers/export?format=pdf", "format")]
    [InlineData("/api/v1/suppliers/export", "format")]
    [InlineData("/api/v1/suppliers/export?format=csv&risk=Extreme", "risk")]
    public async Task Export_BadParameters_Return400NamingTheParameter(string path, string field)
    {
        using var client = await ApiClientAsync(ProcurementClient, "procurement.read");
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    // ---- Residual-risk sign-off ----

    [Fact]
    public async Task RiskAcceptance_RiskOwnerClient_ListsPagesDeclinesAcceptsAndRefusesTwice()
    {
        using var client = await ApiClientAsync(RiskClient, "risk.signoff");
        using var first = await GetJsonAsync(client, "/api/v1/risk-acceptances?pageSize=2");
        using var second = await GetJsonAsync(client, "/api/v1/risk-acceptances?pageSize=2&page=2");
        Assert.Equal(3, first.RootElement.GetProperty("total").GetInt32());
        var ids = first.RootElement.GetProperty("items").EnumerateArray().Concat(second.RootElement.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("id").GetGuid()).ToList();
        // Oldest first, each once.
        Assert.Equal([Fixture.AcceptProposalId, Fixture.DeclineProposalId, Fixture.OwnProposalId], ids);
        var accept = first.RootElement.GetProperty("items")[0];
        Assert.Equal("Oakridge Bonded Storage Ltd", accept.GetProperty("supplier").GetString());
        Assert.Equal("Approve", accept.GetProperty("proposedOutcome").GetString());
        Assert.Equal("Api reviewer", accept.GetProperty("proposedBy").GetString());

        // Decline without a reason: the field is named, nothing changes.
        using var noReason = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.DeclineProposalId}/decision", UriKind.Relative), new { decision = "decline" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (var json = JsonDocument.Parse(await noReason.Content.ReadAsStringAsync()))
        {
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("reason", out _));
        }

        using var noChoice = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.DeclineProposalId}/decision", UriKind.Relative), new { reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, noChoice.StatusCode);
        Assert.Contains("\"decision\"", await noChoice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var declined = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.DeclineProposalId}/decision", UriKind.Relative),
            new { decision = "decline", reason = "The open seal finding needs a plan first." });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        using (var json = JsonDocument.Parse(await declined.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Declined", json.RootElement.GetProperty("state").GetString());
            Assert.Equal($"Dana Whitfield (Risk owner) via client:{RiskClient}", json.RootElement.GetProperty("signedBy").GetString());
        }

        using var again = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.DeclineProposalId}/decision", UriKind.Relative),
            new { decision = "accept", reason = "Changed my mind." });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);

        using var accepted = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.AcceptProposalId}/decision", UriKind.Relative),
            new { decision = "accept", reason = "Accepted until the next audit in March." });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using (var json = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Accepted", json.RootElement.GetProperty("state").GetString());
            Assert.Equal("Approved", json.RootElement.GetProperty("assessmentState").GetString());
        }

        // The client proposed this one itself: it may not accept its own residual risk.
        using var own = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.OwnProposalId}/decision", UriKind.Relative),
            new { decision = "accept", reason = "Fine." });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);

        using var unknown = await client.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Guid.NewGuid()}/decision", UriKind.Relative),
            new { decision = "accept", reason = "Fine." });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await using var db = _portal.CreateDbContext();
        var decided = await db.Set<ResidualRiskAcceptance>().AsNoTracking().Where(p => p.Id == Fixture.AcceptProposalId || p.Id == Fixture.DeclineProposalId || p.Id == Fixture.OwnProposalId)
            .ToDictionaryAsync(p => p.Id);
        Assert.Equal(ResidualRiskState.Accepted, decided[Fixture.AcceptProposalId].State);
        Assert.Equal(fixture.RiskOwnerId, decided[Fixture.AcceptProposalId].SignedBy);
        Assert.Equal(ResidualRiskState.Declined, decided[Fixture.DeclineProposalId].State);
        Assert.Equal(ResidualRiskState.Pending, decided[Fixture.OwnProposalId].State);
        var decision = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.Id == decided[Fixture.AcceptProposalId].DecisionId);
        Assert.Equal(ReviewOutcome.Approve, decision.Outcome);
        Assert.Equal("Accepted until the next audit in March.", decision.RiskAcceptance);
        Assert.Equal(AssessmentState.Approved, await db.Assessments.Where(a => a.Id == DemoData.OakridgeAssessmentId).Select(a => a.State).SingleAsync());
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == ResidualRiskAuditKinds.Accepted && e.Actor == $"Dana Whitfield (Risk owner) via client:{RiskClient}"));
    }

    [Fact]
    public async Task RiskAcceptance_CallersWithoutTheRiskOwnerRole_Get403AndNothingChanges()
    {
        // The procurement system's token lacks the scope; its client may not even ask for it.
        using var procurement = await ApiClientAsync(ProcurementClient, "procurement.read procurement.write");
        using var list = await procurement.GetAsync(new Uri("/api/v1/risk-acceptances", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var post = await procurement.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.OwnProposalId}/decision", UriKind.Relative), new { decision = "accept", reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _portal.GetPartnerTokenAsync("risk.signoff", ProcurementClient));

        // A client with the scope that acts for a person without the risk-owner role (procurement's manager).
        using var notOwner = await ApiClientAsync(Fixture.NotRiskOwnerClient, "risk.signoff");
        using var notOwnerList = await notOwner.GetAsync(new Uri("/api/v1/risk-acceptances", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, notOwnerList.StatusCode);
        Assert.Equal("application/problem+json", notOwnerList.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("Oakridge", await notOwnerList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var notOwnerPost = await notOwner.PostAsJsonAsync(new Uri($"/api/v1/risk-acceptances/{Fixture.OwnProposalId}/decision", UriKind.Relative), new { decision = "accept", reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, notOwnerPost.StatusCode);

        await using var db = _portal.CreateDbContext();
        Assert.Equal(ResidualRiskState.Pending, await db.Set<ResidualRiskAcceptance>().Where(p => p.Id == Fixture.OwnProposalId).Select(p => p.State).SingleAsync());
    }

    // ---- OpenAPI ----

    [Fact]
    public async Task OpenApiDocument_DescribesTheNewEndpointsWithTypedSchemas()
    {
        using var client = _portal.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = json.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/suppliers/export", "/api/v1/suppliers/{id}/timeline", "/api/v1/risk-acceptances", "/api/v1/risk-acceptances/{id}/decision" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing");
        }

        var schemas = json.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "SupplierProfileDto", "TimelinePageDto", "TierHistoryDto", "SupplierAssessmentDto", "RiskAcceptancePageDto", "RiskAcceptanceDecisionBody" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"schema {schema} missing");
        }

        var profile = schemas.GetProperty("SupplierProfileDto").GetProperty("properties");
        foreach (var field in new[] { "identifiers", "sites", "audits", "contacts", "tierHistory", "assessments", "scoreTrend", "findings", "correctiveActions", "credentials", "sharingConsents", "timeline" })
        {
            Assert.True(profile.TryGetProperty(field, out _), $"profile field {field} missing");
        }

        var ok = paths.GetProperty("/api/v1/suppliers/{id}").GetProperty("get").GetProperty("responses").GetProperty("200").GetRawText();
        Assert.Contains("SupplierProfileDto", ok, StringComparison.Ordinal);
        var export = paths.GetProperty("/api/v1/suppliers/export").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("format", export);
        Assert.Contains("risk", export);
        Assert.Contains(export, n => string.Equals(n, "credential", StringComparison.OrdinalIgnoreCase));
    }

    // ---- helpers ----

    private async Task<HttpClient> ApiClientAsync(string clientId, string scope)
    {
        var token = await fixture.TokenAsync(clientId, scope);
        var client = _portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static List<string> Names(JsonDocument json) =>
        json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legalName").GetString()!).ToList();

    private static List<IDictionary<string, object?>> Rows(byte[] bytes, ExcelType type)
    {
        using var stream = new MemoryStream(bytes);
        return stream.Query(useHeaderRow: true, excelType: type).Cast<IDictionary<string, object?>>().ToList();
    }

    private async Task<int> CountAllAsync()
    {
        await using var db = _portal.CreateDbContext();
        return await db.Suppliers.CountAsync();
    }

    private async Task<List<string>> ExpectedNamesAsync(string filter)
    {
        await using var db = _portal.CreateDbContext();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        IQueryable<Supplier> q = filter switch
        {
            "status=Approved" => db.Suppliers.Where(s => s.AssuranceStatus == AssuranceStatus.Approved),
            "status=Rejected" => db.Suppliers.Where(s => s.AssuranceStatus == AssuranceStatus.Rejected),
            "risk=Critical" => db.Suppliers.Where(s => s.RiskRating == RiskRating.Critical),
            "risk=High" => db.Suppliers.Where(s => s.RiskRating == RiskRating.High),
            "overdue=true" => db.Suppliers.Where(s => db.Assessments.Any(a => a.SupplierId == s.Id && a.DueDate < today
                && (a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress))),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
        var names = await q.Select(s => s.LegalName).ToListAsync();
        if (filter == "overdue=true")
        {
            Assert.Equal(["Northgate Cross-Dock B.V."], names);
        }

        return names;
    }

    /// <summary>
    /// The demo data plus 30 Portuguese suppliers of varied status, risk and score; Northgate's questionnaire overdue;
    /// Meridian with every profile section and a long timeline; three residual-risk proposals; a client with the
    /// sign-off scope acting for a person who is not a risk owner.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public static readonly Guid ScoredAssessmentId = Guid.Parse("a9100000-0000-4000-8000-00000000a001");
        public static readonly Guid AcceptProposalId = Guid.Parse("a9100000-0000-4000-8000-0000000000b1");
        public static readonly Guid DeclineProposalId = Guid.Parse("a9100000-0000-4000-8000-0000000000b2");
        public static readonly Guid OwnProposalId = Guid.Parse("a9100000-0000-4000-8000-0000000000b3");
        public const string TierReason = MeridianProfileHistory.TierReason;
        public const string FindingSummary = MeridianProfileHistory.FindingSummary;
        public const string NotRiskOwnerClient = "api-tests-not-a-risk-owner";
        public const int TimelineEvents = 30;
        private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _tokenLock = new(1, 1);

        public PortalFactory Portal { get; } = new();

        public Guid RiskOwnerId { get; private set; }

        public async Task<string> TokenAsync(string clientId, string scope)
        {
            // One token per client and scope for the whole class: fewer calls against the token endpoint's rate limit.
            await _tokenLock.WaitAsync();
            try
            {
                var key = clientId + " " + scope;
                if (!_tokens.TryGetValue(key, out var token))
                {
                    token = await Portal.GetPartnerTokenAsync(scope, clientId);
                    _tokens[key] = token;
                }

                return token;
            }
            finally
            {
                _tokenLock.Release();
            }
        }

        public async Task InitializeAsync()
        {
            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            await using (var db = Portal.CreateDbContext())
            {
                for (var i = 1; i <= 30; i++)
                {
                    db.Suppliers.Add(new Supplier
                    {
                        Id = Guid.NewGuid(),
                        LegalName = $"Api Fixture Supplier {i:00}",
                        CountryCode = "PT",
                        AssuranceStatus = (i % 3) switch { 0 => AssuranceStatus.Approved, 1 => AssuranceStatus.Rejected, _ => AssuranceStatus.NotAssessed },
                        RiskRating = (i % 4) switch { 0 => RiskRating.Low, 1 => RiskRating.Medium, 2 => RiskRating.High, _ => RiskRating.Critical },
                        // Scores run against the names (a name sort is not a score sort); every fifth unscored.
                        OverallScore = i % 5 == 0 ? null : 95m - (i * 3) + ((i % 2) * 7),
                    });
                }

                await db.Assessments.Where(a => a.Id == DemoData.NorthgateAssessmentId)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.DueDate, today.AddDays(-10)));
                await db.Assessments.Where(a => a.Id == DemoData.OakridgeAssessmentId)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.RiskRating, RiskRating.High));

                await MeridianProfileHistory.AddAsync(db, ScoredAssessmentId, now);
                db.Set<SupplierSite>().Add(new SupplierSite
                {
                    Id = Guid.NewGuid(), SupplierId = DemoData.MeridianSupplierId, Name = "Felixstowe cross-dock", NormalizedName = "FELIXSTOWE CROSS-DOCK",
                    Function = SiteFunction.CrossDock, AddressLine1 = "Dock Road 4", City = "Felixstowe", CountryCode = "GB", CreatedAt = now, UpdatedAt = now,
                });

                db.Add(new ResidualRiskAcceptance
                {
                    Id = AcceptProposalId, SupplierId = DemoData.OakridgeSupplierId, AssessmentId = DemoData.OakridgeAssessmentId,
                    ProposedOutcome = ReviewOutcome.Approve, ProposalReason = "Scored High; controls are otherwise sound.",
                    ResidualRisk = "0 major and 0 minor nonconformity(ies) open; risk rating High.", ProposedBy = Guid.NewGuid(),
                    ProposedByName = "Api reviewer", ProposedAt = now.AddMinutes(-30),
                });
                db.Add(new ResidualRiskAcceptance
                {
                    Id = DeclineProposalId, SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId,
                    ProposedOutcome = ReviewOutcome.ConditionallyApprove, ProposalReason = "One minor open.",
                    ResidualRisk = "0 major and 1 minor nonconformity(ies) open; risk rating Medium.", ProposedBy = Guid.NewGuid(),
                    ProposedByName = "Api reviewer", ProposedAt = now.AddMinutes(-20),
                });
                db.Add(new ResidualRiskAcceptance
                {
                    Id = OwnProposalId, SupplierId = DemoData.NorthgateSupplierId, AssessmentId = DemoData.NorthgateAssessmentId,
                    ProposedOutcome = ReviewOutcome.ConditionallyApprove, ProposalReason = "Proposed by the risk system itself.",
                    ResidualRisk = "0 major and 1 minor nonconformity(ies) open; risk rating Medium.", ProposedBy = Guid.Empty,
                    ProposedByClient = $"client:{RiskClient}", ProposedAt = now.AddMinutes(-10),
                });
                await db.SaveChangesAsync();
            }

            var audit = Portal.Services.GetRequiredService<AuditLog>();
            for (var i = 1; i <= TimelineEvents; i++)
            {
                await audit.AppendAsync(new AuditRecord("supplier.test-event", null, "tester@operator.example", DemoData.MeridianSupplierId, "supplier", $"Timeline event {i}"), CancellationToken.None);
            }

            await audit.AppendAsync(new AuditRecord("supplier.test-event", null, "tester@operator.example", DemoData.CalderaSupplierId, "supplier", "About Caldera only."), CancellationToken.None);

            await using var scope = Portal.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            RiskOwnerId = (await users.FindByEmailAsync("risk@operator.example"))!.Id;
            var procurementUser = (await users.FindByEmailAsync(DemoData.ProcurementUserEmail))!;
            Assert.False(await users.IsInRoleAsync(procurementUser, Roles.RiskOwner));
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = NotRiskOwnerClient,
                ClientSecret = PortalFactory.PartnerSecret,
                ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "risk.signoff" },
                Properties = { ["risk_owner_user_id"] = JsonSerializer.SerializeToElement(procurementUser.Id.ToString("D")) },
            });
        }

        public async Task DisposeAsync()
        {
            _tokenLock.Dispose();
            await Portal.DisposeAsync();
        }
    }
}
