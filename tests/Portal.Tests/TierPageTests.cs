using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The supplier tier page: materiality form, proposal with reasons, accept, override, history, audit log. One host
/// serves the class; every test that changes or checks a supplier's tier works on a new Tier 3 supplier of its own.
/// </summary>
public sealed class TierPageTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private static readonly string CalderaTier = $"/Suppliers/{DemoData.CalderaSupplierId}/Tier";
    private readonly PortalFactory _portal = fixture.Portal;

    private static string TierPath(Guid supplierId) => $"/Suppliers/{supplierId}/Tier";

    /// <summary>A new Tier 3 supplier with no assessment, decision or audit entry yet, and its tier page.</summary>
    private async Task<(Guid Id, string Path)> NewSupplierAsync()
    {
        var id = await fixture.AddSupplierAsync("Tier Test");
        return (id, TierPath(id));
    }

    private static Dictionary<string, string> Factors(FactorLevel value, FactorLevel others = FactorLevel.Negligible, bool controlled = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["Factors.ValueAtRisk"] = value.ToString(),
            ["Factors.ThreatExposure"] = others.ToString(),
            ["Factors.DisruptionConsequence"] = others.ToString(),
            ["Factors.RegulatorySensitivity"] = others.ToString(),
            ["Factors.SubstitutionDifficulty"] = others.ToString(),
        };
        if (controlled)
        {
            fields["Factors.Controlled"] = "true";
        }

        return fields;
    }

    [Fact]
    public async Task Get_Procurement_ShowsEveryFactorWithHelpAndNoProposalYet()
    {
        var (_, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync(supplierPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Tier 3 (standard)", page.QuerySelector("[data-testid=current-tier]")!.TextContent);
        foreach (var factor in new[] { "ValueAtRisk", "ThreatExposure", "DisruptionConsequence", "RegulatorySensitivity", "SubstitutionDifficulty" })
        {
            var select = page.QuerySelector($"select[name='Factors.{factor}']");
            Assert.NotNull(select);
            Assert.Equal(5, select.QuerySelectorAll("option").Length); // "Choose…" and the four levels
            Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"#help-{factor}")?.TextContent), factor);
        }

        foreach (var cargo in new[] { "HighValue", "Hazardous", "Controlled" })
        {
            Assert.NotNull(page.QuerySelector($"input[type=checkbox][name='Factors.{cargo}']"));
            Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"#help-{cargo}")?.TextContent), cargo);
        }

        Assert.NotNull(page.QuerySelector("[data-testid=no-proposal]"));
        Assert.NotNull(page.QuerySelector("[data-testid=no-history]"));
    }

    [Fact]
    public async Task SupplierList_Procurement_LinksEachRowToItsTierPage()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/Suppliers");
        var links = page.QuerySelectorAll("[data-testid=supplier-row] [data-testid=tier-link]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(page.QuerySelectorAll("[data-testid=supplier-row]").Length, links.Count);
        Assert.Contains(CalderaTier, links);
    }

    [Fact]
    public async Task ProposeThenAccept_SetsTheProposedTierAndRecordsHistoryAndAuditLog()
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using (var proposed = await session.PostFormAsync($"{supplierPath}?handler=Assess", Factors(FactorLevel.Severe)))
        {
            Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        }

        var (_, page) = await session.GetPageAsync(supplierPath);
        Assert.Equal("Tier 1 (critical)", page.QuerySelector("[data-testid=proposed-tier]")!.TextContent);
        Assert.Contains("Value at risk is severe (3 points).", page.QuerySelector("[data-testid=proposal-reasons]")!.TextContent, StringComparison.Ordinal);
        // Proposing alone changes nothing.
        Assert.Equal("Tier 3 (standard)", page.QuerySelector("[data-testid=current-tier]")!.TextContent);
        // The form keeps the ratings of the newest assessment.
        Assert.Equal("Severe", page.QuerySelector("select[name='Factors.ValueAtRisk'] option[selected]")!.GetAttribute("value"));

        var assessmentId = page.QuerySelector("[data-testid=accept-form] input[name=MaterialityAssessmentId]")!.GetAttribute("value")!;
        using (var accepted = await session.PostFormAsync($"{supplierPath}?handler=Accept", new Dictionary<string, string> { ["MaterialityAssessmentId"] = assessmentId }))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        var (_, after) = await session.GetPageAsync(supplierPath);
        Assert.Equal("Tier 1 (critical)", after.QuerySelector("[data-testid=current-tier]")!.TextContent);
        Assert.NotNull(after.QuerySelector("[data-testid=proposal-decided]"));
        var row = Assert.Single(after.QuerySelectorAll("[data-testid=history-row]"));
        Assert.Equal("Tier 3 (standard) → Tier 1 (critical)", row.QuerySelector("[data-testid=history-change]")!.TextContent);
        Assert.Equal("Proposal accepted", row.QuerySelector("[data-testid=history-source]")!.TextContent);
        Assert.Equal("Tier 1 (critical)", row.QuerySelector("[data-testid=history-proposal]")!.TextContent);
        Assert.Contains(DemoData.ProcurementUserEmail, row.QuerySelector("[data-testid=history-who]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Value at risk is severe", row.QuerySelector("[data-testid=history-why]")!.TextContent, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SupplierId == supplierId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["tier.materiality-assessed", "tier.proposal-accepted"], entries.Select(e => e.Kind));
        Assert.All(entries, e => Assert.Equal(DemoData.ProcurementUserEmail, e.Actor));
        Assert.Contains("Tier3Standard -> Tier1Critical", entries[1].Details, StringComparison.Ordinal);
        Assert.True((await _portal.Services.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Accept_AnOlderProposal_IsRefusedWithTheReason()
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using (var assessed = await session.PostFormAsync($"{supplierPath}?handler=Assess", Factors(FactorLevel.Severe)))
        {
            Assert.Equal(HttpStatusCode.Redirect, assessed.StatusCode);
        }

        Guid older;
        await using (var db = _portal.CreateDbContext())
        {
            older = await db.MaterialityAssessments.Where(m => m.SupplierId == supplierId).Select(m => m.Id).SingleAsync();
        }

        using (var assessed = await session.PostFormAsync($"{supplierPath}?handler=Assess", Factors(FactorLevel.Moderate)))
        {
            Assert.Equal(HttpStatusCode.Redirect, assessed.StatusCode);
        }

        using var response = await session.PostFormAsync($"{supplierPath}?handler=Accept", new Dictionary<string, string> { ["MaterialityAssessmentId"] = older.ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Only the newest materiality assessment", page.QuerySelector("[data-testid=error-MaterialityAssessmentId]")!.TextContent, StringComparison.Ordinal);
        await using var check = _portal.CreateDbContext();
        Assert.Equal(SupplierTier.Tier3Standard, (await check.Suppliers.SingleAsync(s => s.Id == supplierId)).Tier);
    }

    [Fact]
    public async Task Assess_FactorLeftUnrated_ErrorNextToThatFieldAndNothingRecorded()
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var fields = Factors(FactorLevel.High);
        fields.Remove("Factors.ThreatExposure");
        using var response = await session.PostFormAsync($"{supplierPath}?handler=Assess", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Rate threat exposure", page.QuerySelector("[data-testid=error-ThreatExposure]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=error-ValueAtRisk]"));
        Assert.Equal("true", page.QuerySelector("select[name='Factors.ThreatExposure']")!.GetAttribute("aria-invalid"));
        await using var db = _portal.CreateDbContext();
        Assert.Empty(await db.MaterialityAssessments.Where(m => m.SupplierId == supplierId).ToListAsync());
    }

    [Theory]
    [InlineData(SupplierTier.Tier2Significant, "", "Say why the tier differs from the proposal")]
    [InlineData(SupplierTier.Excluded, "", "Excluding a supplier needs a justification")]
    [InlineData(SupplierTier.Excluded, "no longer used", "Excluding a supplier needs a justification")]
    public async Task Override_WithoutEnoughJustification_RefusedWithTheMessageNextToTheField(SupplierTier tier, string justification, string message)
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await session.PostFormAsync($"{supplierPath}?handler=Override",
            new Dictionary<string, string> { ["OverrideTier"] = tier.ToString(), ["Justification"] = justification });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        var error = page.QuerySelector("[data-testid=error-Justification]");
        Assert.NotNull(error);
        Assert.Contains(message, error.TextContent, StringComparison.Ordinal);
        Assert.Contains("error-Justification", page.QuerySelector("textarea[name=Justification]")!.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal(tier.ToString(), page.QuerySelector("select[name=OverrideTier] option[selected]")!.GetAttribute("value"));

        await using var db = _portal.CreateDbContext();
        Assert.Equal(SupplierTier.Tier3Standard, (await db.Suppliers.SingleAsync(s => s.Id == supplierId)).Tier);
        Assert.Empty(await db.TierDecisions.Where(d => d.SupplierId == supplierId).ToListAsync());
        Assert.Empty(await db.Set<AuditEntry>().Where(e => e.SupplierId == supplierId).ToListAsync());
    }

    [Fact]
    public async Task Override_NoTierChosen_ErrorNextToTheTierField()
    {
        var (_, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await session.PostFormAsync($"{supplierPath}?handler=Override",
            new Dictionary<string, string> { ["OverrideTier"] = "Tier9", ["Justification"] = "A justification that is long enough." });
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Choose Tier 1, Tier 2, Tier 3 or Excluded.", page.QuerySelector("[data-testid=error-OverrideTier]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_TwiceWithJustification_HistoryGrowsNewestFirst()
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        const string first = "Sole source of braking components for two product lines.";
        const string second = "Contract ended in June; no goods have moved since and none are planned.";
        foreach (var (tier, why) in new[] { (SupplierTier.Tier2Significant, first), (SupplierTier.Excluded, second) })
        {
            using var response = await session.PostFormAsync($"{supplierPath}?handler=Override",
                new Dictionary<string, string> { ["OverrideTier"] = tier.ToString(), ["Justification"] = why });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var (_, page) = await session.GetPageAsync(supplierPath);
        Assert.Equal("Excluded", page.QuerySelector("[data-testid=current-tier]")!.TextContent);
        var rows = page.QuerySelectorAll("[data-testid=history-row]");
        Assert.Equal(2, rows.Length);
        Assert.Equal("Tier 2 (significant) → Excluded", rows[0].QuerySelector("[data-testid=history-change]")!.TextContent);
        Assert.Equal(second, rows[0].QuerySelector("[data-testid=history-why]")!.TextContent.Trim());
        Assert.Equal("Overridden", rows[0].QuerySelector("[data-testid=history-source]")!.TextContent);
        Assert.Equal("Tier 3 (standard) → Tier 2 (significant)", rows[1].QuerySelector("[data-testid=history-change]")!.TextContent);
        Assert.Equal(first, rows[1].QuerySelector("[data-testid=history-why]")!.TextContent.Trim());

        await using var db = _portal.CreateDbContext();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Kind == TieringAuditKindsUnderTest.Overridden && e.SupplierId == supplierId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.Contains(second, entries[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        var (supplierId, supplierPath) = await NewSupplierAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["OverrideTier"] = "Excluded", ["Justification"] = "A justification that is long enough to pass." });
        using var response = await session.Client.PostAsync(new Uri($"{supplierPath}?handler=Override", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.Equal(SupplierTier.Tier3Standard, (await db.Suppliers.SingleAsync(s => s.Id == supplierId)).Tier);
    }

    [Theory]
    [InlineData(DemoData.OtherSupplierUserEmail)] // Caldera's own supplier admin
    [InlineData(DemoData.SupplierUserEmail)]
    public async Task Get_SupplierUser_IsForbidden(string email)
    {
        using var session = await PortalSession.SignInAsync(_portal, email);
        using var response = await session.Client.GetAsync(new Uri(CalderaTier, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownSupplier_IsNotFound()
    {
        await _portal.CreateUserAsync("admin@tier.example", Roles.Administrator);
        using var session = await PortalSession.SignInAsync(_portal, "admin@tier.example");
        using var response = await session.Client.GetAsync(new Uri($"/Suppliers/{Guid.NewGuid()}/Tier", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The kind the page writes, spelt out here so a renamed constant is noticed.</summary>
    private static class TieringAuditKindsUnderTest
    {
        public const string Overridden = "tier.overridden";
    }
}
