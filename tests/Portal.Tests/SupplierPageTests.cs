using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The supplier page for operator staff: each section shows what the database holds about the supplier. One host
/// serves the class, with Meridian's history arranged once; no test changes Meridian (the trend test scores a
/// questionnaire of a supplier of its own).
/// </summary>
public sealed class SupplierPageTests(SupplierPageTests.Fixture fixture) : IClassFixture<SupplierPageTests.Fixture>
{
    private static readonly Guid ScoredAssessmentId = Guid.Parse("7d1e0000-0000-4000-8000-00000000a001");
    private readonly PortalFactory _portal = fixture.Shared.Portal;

    public sealed class Fixture : IAsyncLifetime
    {
        public SharedPortalFixture Shared { get; } = new();

        public async Task InitializeAsync()
        {
            var portal = Shared.Portal;
            await using var db = portal.CreateDbContext();
            var now = DateTimeOffset.UtcNow;
            await MeridianProfileHistory.AddAsync(db, ScoredAssessmentId, now);
            await db.SaveChangesAsync();
            await portal.Services.GetRequiredService<AuditLog>().AppendAsync(
                new AuditRecord("supplier.test-event", null, "tester@operator.example", DemoData.MeridianSupplierId, "supplier", "Quarterly review call held."), CancellationToken.None);
            await portal.Services.GetRequiredService<AuditLog>().AppendAsync(
                new AuditRecord("supplier.test-event", null, "tester@operator.example", DemoData.CalderaSupplierId, "supplier", "About Caldera only."), CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            Shared.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Get_Procurement_ShowsEverySection()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Meridian Freight Services Ltd", page.QuerySelector("[data-testid=supplier-name]")!.TextContent);
        Assert.Contains(DemoData.MeridianLei, page.QuerySelector("[data-testid=identifiers]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(DemoData.SupplierUserEmail, page.QuerySelector("[data-testid=contacts]")!.TextContent, StringComparison.Ordinal);

        var tier = page.QuerySelector("[data-testid=tier]")!;
        Assert.Contains("Tier 3 (standard)", tier.QuerySelector("[data-testid=current-tier]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Volumes fell after the contract was re-scoped", tier.TextContent, StringComparison.Ordinal);
        Assert.Contains("Tier 2 (significant)", tier.TextContent, StringComparison.Ordinal);
        Assert.NotNull(tier.QuerySelector($"a[href='/Suppliers/{DemoData.MeridianSupplierId}/Tier']"));

        var assessments = page.QuerySelectorAll("[data-testid=assessment-row]");
        Assert.Equal(2, assessments.Length);
        Assert.NotNull(page.QuerySelector($"a[href='/Assessments/{DemoData.MeridianAssessmentId}']"));
        Assert.NotNull(page.QuerySelector($"[data-testid=assessments] td a[href='/Assessments/{ScoredAssessmentId}/Score']"));
        // The open demo questionnaire has no score yet, so no score link.
        Assert.Null(page.QuerySelector($"a[href='/Assessments/{DemoData.MeridianAssessmentId}/Score']"));

        var trend = page.QuerySelector("[data-testid=score-trend]")!;
        Assert.Single(trend.QuerySelectorAll("[data-testid=trend-point]"));
        Assert.Contains("61.5", trend.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);

        Assert.Contains("Seal log not reconciled weekly.", page.QuerySelector("[data-testid=finding-row]")!.TextContent, StringComparison.Ordinal);
        var action = page.QuerySelector("[data-testid=action-row]")!.TextContent;
        Assert.Contains("Seal log not reconciled weekly.", action, StringComparison.Ordinal);
        Assert.Contains("ImplementationDue", action, StringComparison.Ordinal);
        Assert.Contains("Late", action, StringComparison.Ordinal);
        Assert.Contains("MSKU1234565", page.QuerySelector("[data-testid=incident-row]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("GBAEOF1234567", page.QuerySelector("[data-testid=credential-row]")!.TextContent, StringComparison.Ordinal);
        var consent = Assert.Single(page.QuerySelectorAll("[data-testid=consent-row]"), r => r.TextContent.Contains("northwind-logistics", StringComparison.Ordinal)).TextContent;
        Assert.Contains("Live", consent, StringComparison.Ordinal);

        var timeline = page.QuerySelector("[data-testid=timeline]")!.TextContent;
        Assert.Contains("Quarterly review call held.", timeline, StringComparison.Ordinal);
        Assert.DoesNotContain("About Caldera only.", timeline, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"[data-testid=issue-link][href='/Suppliers/{DemoData.MeridianSupplierId}/Issue']"));
    }

    [Fact]
    public async Task Get_TwoScoredAssessments_TrendDrawsALineOldestFirst()
    {
        // A supplier of this test's own with last year's approved questionnaire (61.5, as in Meridian's history) and
        // this year's scored one (78.5).
        var own = await fixture.Shared.AddQuestionnaireAsync("Trend Test");
        await using (var db = _portal.CreateDbContext())
        {
            var current = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == own.AssessmentId);
            var now = DateTimeOffset.UtcNow;
            db.Assessments.Add(new Assessment
            {
                Id = Guid.NewGuid(), SupplierId = own.SupplierId, TemplateId = current.TemplateId, TierAtIssue = current.TierAtIssue,
                DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-300), State = AssessmentState.Approved, IssuedAt = now.AddDays(-400),
                ScoredAt = now.AddDays(-310), OverallScore = MeridianProfileHistory.Score,
            });
            await db.SaveChangesAsync();
            await db.Assessments.Where(a => a.Id == own.AssessmentId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.OverallScore, 78.5m).SetProperty(a => a.ScoredAt, now));
        }

        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync($"/Suppliers/{own.SupplierId}");

        var trend = page.QuerySelector("[data-testid=score-trend]")!;
        var points = trend.QuerySelectorAll("[data-testid=trend-point]");
        Assert.Equal(2, points.Length);
        // Higher score, smaller y; the newer (higher) assessment is drawn to the right.
        var first = (X: double.Parse(points[0].GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture), Y: double.Parse(points[0].GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture));
        var second = (X: double.Parse(points[1].GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture), Y: double.Parse(points[1].GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(first.X < second.X && first.Y > second.Y, $"{first} then {second}");
        Assert.NotNull(trend.QuerySelector("polyline"));
        Assert.Contains("61.5", trend.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("78.5", trend.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SecurityReviewer_SeesThePageWithoutProcurementActions()
    {
        await _portal.CreateUserAsync("reviewer@supplierpage.example", Core.Identity.Roles.SecurityReviewer);
        using var session = await PortalSession.SignInAsync(_portal, "reviewer@supplierpage.example");
        var (response, page) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(page.QuerySelector("[data-testid=issue-link]"));
        Assert.Null(page.QuerySelector("[data-testid=deadline-link]"));
    }

    [Fact]
    public async Task Get_SupplierUserOwnOrganisation_IsNotFound()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (response, _) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownSupplier_IsNotFound()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, _) = await session.GetPageAsync($"/Suppliers/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SupplierList_EachNameLinksToItsPage()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/Suppliers");
        var links = page.QuerySelectorAll("[data-testid=supplier-link]").Select(a => (a.TextContent, a.GetAttribute("href"))).ToList();
        Assert.Contains(("Meridian Freight Services Ltd", $"/Suppliers/{DemoData.MeridianSupplierId}"), links);
        Assert.Contains(("Caldera Components GmbH", $"/Suppliers/{DemoData.CalderaSupplierId}"), links);
    }
}
