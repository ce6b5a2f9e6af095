using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Tiering;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Tier policy administration, and a published policy deciding where a submission goes. The tests that publish a
/// policy (which then is in force for the whole host) start a host of their own; the others, which publish nothing
/// and see version 0, share one host (IClassFixture).
/// </summary>
public sealed class TierPolicyPageTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private const string Path = "/Admin/TierPolicy";
    private const string Admin = "admin@policy.example";
    private readonly PortalFactory _portal = fixture.Portal;

    private static string Tier3RemoteReview() => TierPolicy.Default.ToJson()
        .Replace("\"validation\": \"selfAttestation\"", "\"validation\": \"remoteReview\"", StringComparison.Ordinal)
        .Replace(",\n    \"autoApproveMinScore\": 70", string.Empty, StringComparison.Ordinal);

    /// <summary>Signs in the policy administrator on <paramref name="portal"/> (the shared host when null), creating the account once.</summary>
    private async Task<PortalSession> AdminAsync(PortalFactory? portal = null)
    {
        portal ??= _portal;
        bool exists;
        await using (var db = portal.CreateDbContext())
        {
            exists = await db.Users.AnyAsync(u => u.Email == Admin);
        }

        if (!exists)
        {
            await portal.CreateUserAsync(Admin, Roles.Administrator);
        }

        return await PortalSession.SignInAsync(portal, Admin);
    }

    [Fact]
    public async Task Get_Administrator_ShowsThePolicyInForcePerTierAndTheVersions()
    {
        using var session = await AdminAsync();
        var (response, page) = await session.GetPageAsync(Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", page.QuerySelector("[data-testid=shown-version]")!.TextContent);
        Assert.Equal("On-site second-party audit", page.QuerySelector("[data-testid=rules-Tier1Critical] [data-testid=validation]")!.TextContent);
        Assert.Equal("Remote review by a reviewer", page.QuerySelector("[data-testid=rules-Tier2Significant] [data-testid=validation]")!.TextContent);
        Assert.Equal("Self-attestation", page.QuerySelector("[data-testid=rules-Tier3Standard] [data-testid=validation]")!.TextContent);
        Assert.Contains("score of 70 or more", page.QuerySelector("[data-testid=rules-Tier3Standard] [data-testid=routing]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Every 12 months", page.QuerySelector("[data-testid=rules-Tier1Critical]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("10 points or more propose Tier 1", page.QuerySelector("[data-testid=proposal-rules]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid=version-0]"));
        // The editor starts from the policy in force, so publishing it unchanged is valid.
        Assert.Equal(TierPolicy.Default.ToJson(), page.QuerySelector("textarea[name=Json]")!.TextContent.Trim());
    }

    [Theory]
    [InlineData(DemoData.ProcurementUserEmail)]
    [InlineData(DemoData.SupplierUserEmail)]
    public async Task Get_NotAnAdministrator_IsForbidden(string email)
    {
        using var session = await PortalSession.SignInAsync(_portal, email);
        using var response = await session.Client.GetAsync(new Uri(Path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ValidJson_BecomesTheNextVersionAndEarlierVersionsStayAsTheyWere()
    {
        // Publishing puts the policy in force for the whole host: a host of this test's own.
        using var portal = new PortalFactory();
        using var session = await AdminAsync(portal);
        using (var first = await session.PostFormAsync(Path, new Dictionary<string, string> { ["Json"] = Tier3RemoteReview() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        string version1;
        await using (var db = portal.CreateDbContext())
        {
            version1 = (await db.TierPolicyVersions.SingleAsync(v => v.Version == 1)).Json;
        }

        var (_, page) = await session.GetPageAsync(Path);
        Assert.Equal("1", page.QuerySelector("[data-testid=shown-version]")!.TextContent);
        Assert.Contains("version 1 is now in force", page.QuerySelector("[data-testid=policy-message]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Remote review by a reviewer", page.QuerySelector("[data-testid=rules-Tier3Standard] [data-testid=validation]")!.TextContent);
        Assert.Contains(Admin, page.QuerySelector("[data-testid=version-1]")!.TextContent, StringComparison.Ordinal);

        var stricter = TierPolicy.Default.ToJson().Replace("\"reassessmentMonths\": 12", "\"reassessmentMonths\": 6", StringComparison.Ordinal);
        using (var second = await session.PostFormAsync(Path, new Dictionary<string, string> { ["Json"] = stricter }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        await using (var db = portal.CreateDbContext())
        {
            Assert.Equal(version1, (await db.TierPolicyVersions.SingleAsync(v => v.Version == 1)).Json);
            Assert.Equal([1, 2], await db.TierPolicyVersions.OrderBy(v => v.Version).Select(v => v.Version).ToListAsync());
            Assert.Equal(2, await db.Set<AuditEntry>().CountAsync(e => e.Kind == "tier-policy.published"));
        }

        // An earlier version can still be read as it was published.
        var (_, old) = await session.GetPageAsync($"{Path}?version=1");
        Assert.Equal("1", old.QuerySelector("[data-testid=shown-version]")!.TextContent);
        Assert.Equal("Remote review by a reviewer", old.QuerySelector("[data-testid=rules-Tier3Standard] [data-testid=validation]")!.TextContent);
        var (_, current) = await session.GetPageAsync(Path);
        Assert.Contains("Every 6 months", current.QuerySelector("[data-testid=rules-Tier1Critical]")!.TextContent, StringComparison.Ordinal);
        using var missing = await session.Client.GetAsync(new Uri($"{Path}?version=9", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Publish_InvalidJson_ListsEveryProblemAndPublishesNothing()
    {
        using var session = await AdminAsync();
        var json = TierPolicy.Default.ToJson()
            .Replace("\"tier1MinPoints\": 10", "\"tier1MinPoints\": 3", StringComparison.Ordinal)
            .Replace("\"reassessmentMonths\": 36", "\"reassessmentMonths\": 0", StringComparison.Ordinal)
            .Replace("\"autoApproveMinScore\": 70", "\"autoApproveMinScore\": 170", StringComparison.Ordinal);
        using var response = await session.PostFormAsync(Path, new Dictionary<string, string> { ["Json"] = json });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        var problems = page.QuerySelectorAll("[data-testid=policy-problems] li").Select(li => li.TextContent).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("proposal:", StringComparison.Ordinal));
        Assert.Contains("tier3: reassessmentMonths is between 1 and 60.", problems);
        Assert.Contains("tier3: autoApproveMinScore is between 0 and 100.", problems);
        // What the administrator typed is kept for fixing.
        Assert.Contains("\"tier1MinPoints\": 3", page.QuerySelector("textarea[name=Json]")!.TextContent, StringComparison.Ordinal);

        using var broken = await session.PostFormAsync(Path, new Dictionary<string, string> { ["Json"] = "{\n  \"proposal\": {\n    \"tier1MinPoints\": \"ten\" } }" });
        var brokenPage = PortalSession.Parse(await broken.Content.ReadAsStringAsync());
        Assert.StartsWith("Line 3", brokenPage.QuerySelector("[data-testid=policy-problems] li")!.TextContent, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        Assert.Empty(await db.TierPolicyVersions.ToListAsync());
    }

    [Fact]
    public async Task Publish_WithoutAntiforgeryToken_Is400()
    {
        using var session = await AdminAsync();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Json"] = TierPolicy.Default.ToJson() });
        using var response = await session.Client.PostAsync(new Uri(Path, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.Empty(await db.TierPolicyVersions.ToListAsync());
    }

    [Fact]
    public async Task Submit_UnderPublishedPolicyWithTier3RemoteReview_StrongTier3GoesToReviewAndScorePageShowsVersionAndReadiness()
    {
        // Publishing puts the policy in force for the whole host: a host of this test's own.
        using var portal = new PortalFactory();
        using (var admin = await AdminAsync(portal))
        using (var published = await admin.PostFormAsync(Path, new Dictionary<string, string> { ["Json"] = Tier3RemoteReview() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        }

        using var supplier = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var form = await AssessmentForm.AllGoodAsync(portal, DemoData.MeridianAssessmentId);
        using (var saved = await form.PostAsync(supplier, DemoData.MeridianAssessmentId, "Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var submitted = await new AssessmentForm().PostAsync(supplier, DemoData.MeridianAssessmentId, "Submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        var scored = await portal.WaitForAssessmentAsync(DemoData.MeridianAssessmentId, a => a.State != AssessmentState.Submitted);
        // Under the shipped policy this all-good Tier 3 submission is approved without a person (see Core's PolicyRoutingTests).
        Assert.Equal(AssessmentState.UnderReview, scored.State);
        Assert.True(scored.OverallScore >= 70m);
        Assert.Equal(1, scored.TierPolicyVersion);

        var (response, page) = await supplier.GetPageAsync($"/Assessments/{DemoData.MeridianAssessmentId}/Score");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("version 1", page.QuerySelector("[data-testid=tier-policy-version]")!.TextContent);
        var rules = page.QuerySelectorAll("[data-testid=readiness] tbody tr");
        Assert.Equal(28, rules.Length);
        var outcomes = rules.Select(r => r.QuerySelector("[data-testid=outcome]")!.TextContent).ToList();
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "Pass", "Fail", "Unknown" }));
        Assert.Contains("Pass", outcomes);
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.QuerySelector("[data-testid=reason]")!.TextContent)));
    }
}
