using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>The KPI dashboard: figures against an independent count of the seeded data, links to the suppliers behind them, roles.</summary>
public sealed class DashboardTests : IClassFixture<DashboardTests.Fixture>
{
    private readonly PortalFactory _portal;

    public DashboardTests(Fixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _portal = fixture.Portal;
    }

    private static string Value(AngleSharp.Html.Dom.IHtmlDocument page, string kpi) =>
        page.QuerySelector($"[data-testid=kpi-{kpi}] [data-testid=kpi-value]")!.TextContent.Trim();

    private static List<(string Label, string Value, string Link)> Bars(AngleSharp.Html.Dom.IHtmlDocument page, string chart) =>
        [.. page.QuerySelectorAll($"[data-testid=chart-{chart}] [data-testid=bar]").Select(a =>
            (a.QuerySelector("text")!.TextContent.Trim(), a.QuerySelector("[data-testid=bar-value]")!.TextContent.Trim(), a.GetAttribute("href")!))];

    [Fact]
    public async Task Dashboard_Figures_MatchAnIndependentCountOfTheData()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = _portal.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        var suppliers = await db.Suppliers.AsNoTracking().ToListAsync();
        var credentials = await db.Credentials.AsNoTracking().ToListAsync();
        var findings = await db.Set<AssessmentFinding>().AsNoTracking().ToListAsync();
        var tier1 = suppliers.Where(s => s.Tier == SupplierTier.Tier1Critical).ToList();
        var inDate = tier1.Count(s => s.ValidUntil >= now);
        var covered = tier1.Count(s => credentials.Any(c => c.SupplierId == s.Id && c.VerificationState == VerificationState.Verified
            && c.Type is CredentialType.EuAeo or CredentialType.CTpat or CredentialType.TapaFsr or CredentialType.TapaTsr
            && (c.ValidFrom == null || c.ValidFrom <= now) && (c.ValidUntil == null || c.ValidUntil >= now)));

        // The seed makes these figures non-trivial: 3 of the Tier 1 suppliers in date is not all of them.
        Assert.Equal(5, tier1.Count);
        Assert.Equal(3, inDate);
        Assert.Equal(2, covered);
        Assert.Equal([("In date", "3", "/Suppliers?tier=Tier1Critical&schedule=InDate"), ("Lapsed or never", "2", "/Suppliers?tier=Tier1Critical&schedule=Lapsed")], Bars(page, "schedule"));
        Assert.Equal("60 %", Value(page, "schedule"));
        Assert.Equal("40 %", Value(page, "credentials"));
        Assert.Equal([("Valid credential", "2"), ("None valid", "3")], Bars(page, "credentials").Select(b => (b.Label, b.Value)).ToList());

        var tiers = Bars(page, "tiers").ToDictionary(b => b.Label, b => int.Parse(b.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(suppliers.Count(s => s.Tier == SupplierTier.Tier3Standard), tiers["Tier 3"]);
        Assert.Equal(5, tiers["Tier 1"]);
        var risks = Bars(page, "risks").ToDictionary(b => b.Label, b => b.Value);
        Assert.Equal(suppliers.Count(s => s.RiskRating == RiskRating.High).ToString(System.Globalization.CultureInfo.InvariantCulture), risks["High"]);

        var open = findings.Where(f => f.State == AssessmentFindingState.Open).ToList();
        Assert.Equal(open.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(page, "grades"));
        var grades = Bars(page, "grades").ToDictionary(b => b.Label, b => b.Value);
        Assert.Equal(open.Count(f => f.Grade == NonconformityGrade.MajorNonconformity).ToString(System.Globalization.CultureInfo.InvariantCulture), grades["Major nonconformity"]);
        Assert.Equal(open.Count, Bars(page, "clauses").Sum(b => int.Parse(b.Value, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(7 * 5, page.QuerySelectorAll("[data-testid=heat-cell]").Length);
    }

    [Fact]
    public async Task Dashboard_Links_ListExactlyTheSuppliersBehindEachFigure()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, dashboard) = await session.GetPageAsync("/Dashboard");

        async Task<List<string>> Names(string link)
        {
            var (response, list) = await session.GetPageAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(list.QuerySelector("[data-testid=kpi-filter]"));
            return [.. list.QuerySelectorAll("[data-testid=supplier-link]").Select(a => a.TextContent.Trim()).Where(n => n.StartsWith("Kpi ", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }

        var schedule = Bars(dashboard, "schedule");
        Assert.Equal(["Kpi In Date Aeo", "Kpi In Date None", "Kpi In Date Tapa"], await Names(schedule[0].Link));
        Assert.Equal(["Kpi Expired Aeo", "Kpi Never Rejected"], await Names(schedule[1].Link));

        var credentials = Bars(dashboard, "credentials");
        Assert.Equal(["Kpi In Date Aeo", "Kpi In Date Tapa"], await Names(credentials[0].Link));
        Assert.Equal(["Kpi Expired Aeo", "Kpi In Date None", "Kpi Never Rejected"], await Names(credentials[1].Link));

        // A figure's count and its list agree (demo suppliers included).
        var (_, highList) = await session.GetPageAsync(Bars(dashboard, "risks").Single(b => b.Label == "High").Link);
        Assert.StartsWith(Bars(dashboard, "risks").Single(b => b.Label == "High").Value + " supplier(s)", highList.QuerySelector("[data-testid=result-count]")!.TextContent, StringComparison.Ordinal);
        var grade = Bars(dashboard, "grades").Single(b => b.Label == "Major nonconformity");
        await using var db = _portal.CreateDbContext();
        var withMajor = await db.Set<AssessmentFinding>().Where(f => f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MajorNonconformity)
            .Select(f => f.SupplierId).Distinct().CountAsync();
        var (_, majorList) = await session.GetPageAsync(grade.Link);
        Assert.StartsWith($"{withMajor} supplier(s)", majorList.QuerySelector("[data-testid=result-count]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_FindingsActionsCompletionAndMaturity_CountTheSeededRows_AndLinkToThem()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/Dashboard");

        Assert.Equal("3", Value(page, "grades"));
        Assert.Equal([("Major nonconformity", "1"), ("Minor nonconformity", "1"), ("Opportunity for improvement", "1")],
            Bars(page, "grades").Select(b => (b.Label, b.Value)).ToList());
        var clauses = Bars(page, "clauses").ToDictionary(b => b.Label);
        Assert.Equal(("1", "1", "1", "0"), (clauses["Clause 8"].Value, clauses["Clause 6"].Value, clauses["No clause"].Value, clauses["Clause 7"].Value));

        Assert.Equal("50 %", Value(page, "actions"));
        Assert.Equal("40 days", Value(page, "mttr"));
        Assert.Equal(("Major nonconformity", "40 d (2)"), Bars(page, "mttr").Select(b => (b.Label, b.Value)).Single());
        Assert.Equal("50 %", Value(page, "completion"));

        var cell = page.QuerySelector("[data-testid=heat-cell][data-clause='4'][data-level='3']")!;
        Assert.Equal("2", cell.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("[data-testid=heat-cell][data-clause='8'][data-level='1']")!.TextContent.Trim());
        Assert.Equal("0", page.QuerySelector("[data-testid=heat-cell][data-clause='5'][data-level='3']")!.TextContent.Trim());

        async Task<List<string>> Names(string link)
        {
            var (_, list) = await session.GetPageAsync(link);
            return [.. list.QuerySelectorAll("[data-testid=supplier-link]").Select(a => a.TextContent.Trim()).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["Meridian Freight Services Ltd"], await Names(clauses["Clause 8"].Link));
        Assert.Equal(["Caldera Components GmbH"], await Names(clauses["Clause 6"].Link));
        Assert.Equal(["Northgate Cross-Dock B.V."], await Names(clauses["No clause"].Link));
        Assert.Equal(["Caldera Components GmbH"], await Names(Bars(page, "grades")[1].Link));
        Assert.Equal(["Meridian Freight Services Ltd"], await Names(Bars(page, "actions")[0].Link));
        Assert.Equal(["Caldera Components GmbH"], await Names(Bars(page, "actions")[1].Link));
        Assert.Equal(["Caldera Components GmbH", "Meridian Freight Services Ltd"], await Names(cell.GetAttribute("href")!));
        Assert.Equal(["Caldera Components GmbH"], await Names("/Suppliers?mclause=8&mlevel=1"));
        Assert.Equal(["Meridian Freight Services Ltd"], await Names(Bars(page, "completion")[0].Link));
        Assert.Equal(["Caldera Components GmbH"], await Names(Bars(page, "completion")[1].Link));

        // The export of a dashboard-filtered list has the same suppliers.
        var csv = await session.Client.GetStringAsync(new Uri(clauses["Clause 8"].Link.Replace("/Suppliers?", "/Suppliers?handler=Export&format=csv&", StringComparison.Ordinal), UriKind.Relative));
        Assert.Contains("Meridian Freight Services Ltd", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Caldera", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_SupplierList_TakesTheDashboardFilters()
    {
        var token = await _portal.GetPartnerTokenAsync("procurement.read", "demo-procurement-system");
        using var client = _portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        async Task<List<string>> Names(string query)
        {
            using var response = await client.GetAsync(new Uri("/api/v1/suppliers?" + query, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
            using var json = System.Text.Json.JsonDocument.Parse(text);
            return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legalName").GetString()!).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["Meridian Freight Services Ltd"], await Names("fclause=8"));
        var credentialed = await Names("credential=Valid");
        Assert.Equal(["Kpi In Date Aeo", "Kpi In Date Tapa"], credentialed.Where(n => n.StartsWith("Kpi ", StringComparison.Ordinal)));
        Assert.Equal(["Caldera Components GmbH", "Meridian Freight Services Ltd"], await Names("mclause=4&mlevel=3"));

        using var bad = await client.GetAsync(new Uri("/api/v1/suppliers?schedule=soon&mlevel=9", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var body = await bad.Content.ReadAsStringAsync();
        Assert.Contains("\"schedule\"", body, StringComparison.Ordinal);
        Assert.Contains("\"mclause\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DemoData.SupplierUserEmail)]
    [InlineData(DemoData.OtherSupplierUserEmail)]
    public async Task Dashboard_SupplierUser_IsForbidden(string email)
    {
        using var session = await PortalSession.SignInAsync(_portal, email);
        using var response = await session.Client.GetAsync(new Uri("/Dashboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_RiskOwner_SeesIt_Reviewer_DoesNot()
    {
        await _portal.CreateUserAsync("risk@dashboard.example", Roles.RiskOwner);
        await _portal.CreateUserAsync("reviewer@dashboard.example", Roles.SecurityReviewer);
        using var risk = await PortalSession.SignInAsync(_portal, "risk@dashboard.example");
        Assert.Equal(HttpStatusCode.OK, (await risk.GetPageAsync("/Dashboard")).Response.StatusCode);
        using var reviewer = await PortalSession.SignInAsync(_portal, "reviewer@dashboard.example");
        using var refused = await reviewer.Client.GetAsync(new Uri("/Dashboard", UriKind.Relative));
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();

        public async Task InitializeAsync()
        {
            var now = DateTimeOffset.UtcNow;
            await using var db = Portal.CreateDbContext();
            // Demo data has no Tier 1 supplier in date; make sure of the starting point so the seeded figures below are the whole story.
            foreach (var s in await db.Suppliers.Where(s => s.Tier == SupplierTier.Tier1Critical).ToListAsync())
            {
                s.Tier = SupplierTier.Tier2Significant;
            }

            Supplier Add(string name, DateTimeOffset? validUntil)
            {
                var s = new Supplier { Id = Guid.NewGuid(), LegalName = name, CountryCode = "GB", Tier = SupplierTier.Tier1Critical, ValidUntil = validUntil, RiskRating = RiskRating.High };
                db.Suppliers.Add(s);
                return s;
            }

            void Credential(Supplier s, CredentialType type, VerificationState state, DateTimeOffset? until) => db.Credentials.Add(new Credential
            {
                Id = Guid.NewGuid(),
                SupplierId = s.Id,
                Type = type,
                Number = "N" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
                VerificationState = state,
                ValidUntil = until,
                SubmittedBy = "test",
                SubmittedAt = now,
            });

            var aeo = Add("Kpi In Date Aeo", now.AddDays(200));
            var tapa = Add("Kpi In Date Tapa", now.AddDays(20));
            Add("Kpi In Date None", now.AddDays(5));
            var expired = Add("Kpi Expired Aeo", now.AddDays(-1));
            var never = Add("Kpi Never Rejected", null);
            Credential(aeo, CredentialType.EuAeo, VerificationState.Verified, now.AddYears(2));
            Credential(tapa, CredentialType.TapaFsr, VerificationState.Verified, null);
            Credential(expired, CredentialType.EuAeo, VerificationState.Verified, now.AddDays(-3));
            Credential(never, CredentialType.CTpat, VerificationState.Rejected, now.AddYears(1));
            Credential(never, CredentialType.Iso28000, VerificationState.Verified, now.AddYears(1));

            // Findings, corrective actions, questionnaires and score snapshots on the demo suppliers' questionnaires.
            var meridian = await db.Assessments.SingleAsync(x => x.Id == DemoData.MeridianAssessmentId);
            var caldera = await db.Assessments.SingleAsync(x => x.Id == DemoData.CalderaAssessmentId);
            var clause8Question = await db.TemplateQuestions.Where(q => q.TemplateId == meridian.TemplateId && q.Clause.StartsWith("8.")).Select(q => q.Code).FirstAsync();
            AssessmentFinding Finding(SupplierAssure.Core.Assessments.Assessment on, NonconformityGrade grade, string reference, AssessmentFindingState state)
            {
                var f = new AssessmentFinding { Id = Guid.NewGuid(), SupplierId = on.SupplierId, AssessmentId = on.Id, Grade = grade, Reference = reference, Summary = "Seeded for the dashboard", State = state, RaisedAt = now.AddDays(-60) };
                db.Add(f);
                return f;
            }

            Finding(meridian, NonconformityGrade.MajorNonconformity, clause8Question, AssessmentFindingState.Open);
            Finding(caldera, NonconformityGrade.MinorNonconformity, "6", AssessmentFindingState.Open);
            var northgate = await db.Assessments.SingleAsync(x => x.Id == DemoData.NorthgateAssessmentId);
            Finding(northgate, NonconformityGrade.OpportunityForImprovement, "Physical", AssessmentFindingState.Open);

            void Case(SupplierAssure.Core.Assessments.Assessment on, int openedDaysAgo, int closedDaysAgo, int dueDaysAgo) => db.Add(new SupplierAssure.Core.Remediation.RemediationCase
            {
                Id = Guid.NewGuid(),
                SupplierId = on.SupplierId,
                AssessmentId = on.Id,
                FindingId = Finding(on, NonconformityGrade.MajorNonconformity, "7", AssessmentFindingState.Closed).Id,
                Grade = NonconformityGrade.MajorNonconformity,
                State = SupplierAssure.Core.Remediation.RemediationState.Closed,
                OpenedAt = now.AddDays(-openedDaysAgo),
                ActionPlanDueAt = now.AddDays(-openedDaysAgo + 5),
                ImplementationDueAt = now.AddDays(-dueDaysAgo - 5),
                VerificationDueAt = now.AddDays(-dueDaysAgo),
                ClosedAt = now.AddDays(-closedDaysAgo),
                DaysToClose = openedDaysAgo - closedDaysAgo, // what RemediationCase.Close keeps with ClosedAt
            });
            Case(meridian, 40, 10, 5);      // on time, 30 days
            Case(caldera, 52, 2, 20);       // late, 50 days
            Case(northgate, 430, 400, 390); // outside the 12 months

            meridian.SubmittedAt = now.AddDays(-1);
            caldera.DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3);
            meridian.ScoredAt = now.AddDays(-1);
            meridian.ScoreResultJson = """{"overallScore":61,"clauses":[{"key":"4","maturityLevel":3},{"key":"8","maturityLevel":4}]}""";
            caldera.ScoredAt = now.AddDays(-1);
            caldera.ScoreResultJson = """{"overallScore":30,"clauses":[{"key":"4","maturityLevel":3},{"key":"8","maturityLevel":1}]}""";
            // The clause levels scoring keeps beside each snapshot (what the heat map reads).
            foreach (var (on, clause, level) in new[] { (meridian, "4", 3), (meridian, "8", 4), (caldera, "4", 3), (caldera, "8", 1) })
            {
                db.Add(new SupplierAssure.Core.Kpis.SupplierClauseMaturity { SupplierId = on.SupplierId, Clause = clause, MaturityLevel = level, AssessmentId = on.Id });
            }

            await db.SaveChangesAsync();
        }

        public Task DisposeAsync()
        {
            Portal.Dispose();
            return Task.CompletedTask;
        }
    }
}
