using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;
using static SupplierAssure.Browser.Tests.AuditBrowser;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Procurement records a site from the supplier page as a person would (a made-up country code refused at its field,
/// then saved), sees it listed and on the timeline, and reads the supplier's audits section with the demo audit and
/// its link. Runs on the audit journeys' Portal (no host of its own).
/// </summary>
[Collection(AuditJourneyCollection.Name)]
public sealed class ProcurementRecordsSiteTests(AuditJourneyFixture fixture)
{
    [Fact]
    public async Task SupplierPage_ProcurementAddsSite_FieldErrorThenListedAndOnTimeline_AuditsSectionLinksTheAudit()
    {
        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/Suppliers/{DemoData.MeridianSupplierId}");

        // The audits section: Meridian's demo audit, whatever stage the other journeys have taken it to.
        var audit = page.GetByTestId("audit-row").Filter(new() { Has = page.Locator($"a[href='/Audits/{DemoAudit.MeridianAuditId}']") });
        await Assertions.Expect(audit).ToHaveCountAsync(1);
        await Assertions.Expect(audit).ToContainTextAsync("On-site audit");

        await page.GetByTestId("add-site-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("site-heading")).ToContainTextAsync("Add a site of Meridian Freight Services Ltd");
        await page.GetByLabel("Site name").FillAsync("Tilbury bonded shed");
        await page.GetByLabel("What happens at the site").SelectOptionAsync(new SelectOptionValue { Label = "Warehouse or distribution centre" });
        await page.GetByLabel("Street and number").FillAsync("Berth 42, Fort Road");
        await page.GetByLabel("Town or city").FillAsync("Tilbury");
        await page.GetByLabel("Country (two-letter code such as NL)").FillAsync("UK");
        await page.GetByTestId("site-save").ClickAsync();

        // Refused at the field, with what was typed kept.
        await Assertions.Expect(page.GetByTestId("error-Country")).ToContainTextAsync("\"UK\" is not a two-letter ISO 3166 country code");
        await Assertions.Expect(page.GetByLabel("Site name")).ToHaveValueAsync("Tilbury bonded shed");
        await Assertions.Expect(page.GetByLabel("Country (two-letter code such as NL)")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page);

        await page.GetByLabel("Country (two-letter code such as NL)").FillAsync("GB");
        await page.GetByTestId("site-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("Site \"Tilbury bonded shed\" added.");
        var row = page.GetByTestId("site-row").Filter(new() { HasText = "Tilbury bonded shed" });
        await Assertions.Expect(row).ToContainTextAsync("Warehouse or distribution centre");
        await Assertions.Expect(row).ToContainTextAsync("Berth 42, Fort Road, Tilbury");
        await Assertions.Expect(page.GetByTestId("timeline-entry").First).ToContainTextAsync("site.added");
        await Assertions.Expect(page.GetByTestId("timeline-entry").First).ToContainTextAsync("Tilbury bonded shed");

        await page.GetByTestId("audit-row").Filter(new() { Has = page.Locator($"a[href='/Audits/{DemoAudit.MeridianAuditId}']") }).GetByTestId("audit-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/Audits/{DemoAudit.MeridianAuditId}$", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

        await using var db = fixture.Portal.CreateDbContext();
        var site = await db.Set<SupplierSite>().AsNoTracking().SingleAsync(s => s.SupplierId == DemoData.MeridianSupplierId && s.Name == "Tilbury bonded shed");
        Assert.Equal(("GB", SiteFunction.WarehouseDistribution, (DateTimeOffset?)null), (site.CountryCode, site.Function, site.RetiredAt));
    }
}
