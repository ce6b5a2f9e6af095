using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Partners;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Issue 7's procurement portfolio journeys as a person does them in Chromium: a bulk import that is refused line by
/// line and then goes through, the list filtered and exported (CSV and Excel), a dashboard figure followed to the
/// suppliers behind it; and a supplier admin sharing the organisation's profile with a partner and revoking it.
/// </summary>
public sealed class PortfolioAndSharingJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Procurement_ImportsSuppliersAfterFixingTheFile_FiltersExportsAndFollowsADashboardFigure()
    {
        var (context, page, problems) = await SignInAsync(DemoData.ProcurementUserEmail);
        await using var _ = context;

        // A file with one bad line is refused as a whole, with the line and column of each problem.
        await page.GotoAsync("/Suppliers");
        await page.GetByTestId("import-link").ClickAsync();
        await page.GetByLabel("CSV file").SetInputFilesAsync(Csv("bad.csv",
            "Brightwater Cold Chain GmbH,Germany,,,,DE276452187,Jonas Weber,jonas.weber@brightwater.example,2",
            "Saltire Bonded Stores Ltd,GB,,,,GB980780684,Morag Reid,morag.reid@saltire.example,3"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Check and import" }).ClickAsync();
        var error = page.GetByTestId("import-error");
        await Assertions.Expect(error).ToHaveCountAsync(1);
        await Assertions.Expect(error.First).ToContainTextAsync("country");
        await Assertions.Expect(error.First.Locator("td").First).ToHaveTextAsync("2");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.False(await db.Suppliers.AnyAsync(s => s.LegalName == "Saltire Bonded Stores Ltd"));
        }

        // The refusal is answered with a 4xx status, which Chromium reports on the console; that one is expected.
        Assert.All(problems, p => Assert.Contains("the server responded with a status of 4", p, StringComparison.Ordinal));
        problems.Clear();

        await page.GetByLabel("CSV file").SetInputFilesAsync(Csv("fixed.csv",
            "Brightwater Cold Chain GmbH,DE,,,,DE276452187,Jonas Weber,jonas.weber@brightwater.example,2",
            "Saltire Bonded Stores Ltd,GB,,,,GB980780684,Morag Reid,morag.reid@saltire.example,3"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Check and import" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-result")).ToContainTextAsync("2 supplier(s) imported");
        await Assertions.Expect(page.GetByTestId("imported-row")).ToHaveCountAsync(2);
        // The supplier page lists the invited contact by the name in the file until they have an account.
        await page.GetByTestId("imported-row").GetByRole(AriaRole.Link, new() { Name = "Brightwater Cold Chain GmbH" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("open-invitation")).ToContainTextAsync("Jonas Weber <jonas.weber@brightwater.example>");

        // The list narrowed by search and country, then exported as shown.
        await page.GotoAsync("/Suppliers");
        await page.GetByLabel("Search name or identifier").FillAsync("Brightwater");
        await page.GetByLabel("Country", new() { Exact = true }).FillAsync("DE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("1 supplier(s) match.");
        Assert.Contains("country=DE", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("supplier-link")).ToHaveTextAsync("Brightwater Cold Chain GmbH");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        var csvText = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.Contains("Brightwater Cold Chain GmbH", csvText, StringComparison.Ordinal);
        Assert.DoesNotContain("Saltire Bonded Stores Ltd", csvText, StringComparison.Ordinal);
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename, StringComparison.Ordinal);
        var xlsxBytes = await File.ReadAllBytesAsync((await xlsx.PathAsync())!);
        Assert.Equal("PK"u8.ToArray(), xlsxBytes[..2]);

        // A bar of the tier chart lists exactly the suppliers it counts.
        await page.GotoAsync("/Dashboard");
        var tier2 = page.GetByTestId("chart-tiers").Locator("a[aria-label^='Tier 2']");
        var counted = await tier2.GetByTestId("bar-value").TextContentAsync();
        await tier2.ClickAsync();
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync($"{counted!.Trim()} supplier(s) match.");
        Assert.Contains("tier=Tier2Significant", page.Url, StringComparison.Ordinal);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task SupplierAdmin_SharesTheProfileWithAPartner_ThenRevokesIt()
    {
        var (context, page, problems) = await SignInAsync(DemoData.OtherSupplierUserEmail);
        await using var _ = context;

        await page.GotoAsync("/Sharing");
        // A last day in the past is refused at the field.
        await page.GetByLabel("Partner system").SelectOptionAsync("demo-partner");
        await page.GetByLabel("Last day of the share").FillAsync("2020-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lastday-error")).ToContainTextAsync("must be in the future");

        await page.GetByLabel("Last day of the share").FillAsync(string.Empty);
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        var live = page.GetByTestId("live-consents").Locator("tbody tr");
        await Assertions.Expect(live.Filter(new() { HasText = "until revoked" })).ToHaveCountAsync(1);
        var consentId = await live.Filter(new() { HasText = "until revoked" }).First.GetAttributeAsync("data-consent-id");

        await live.Filter(new() { HasText = "until revoked" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("past-consents").Locator($"tr[data-consent-id='{consentId}']")).ToContainTextAsync("revoked");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var consent = await db.Set<SharingConsent>().IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(consentId!));
            Assert.NotNull(consent.RevokedAt);
            Assert.Equal("demo-partner", consent.PartnerClientId);
        }

        Assert.Empty(problems);
    }

    private static FilePayload Csv(string name, params string[] lines) => new()
    {
        Name = name,
        MimeType = "text/csv",
        Buffer = Encoding.UTF8.GetBytes("legal_name,country,lei,duns,eori,vat,contact_name,contact_email,tier\n" + string.Join('\n', lines) + "\n"),
    };

    private async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> SignInAsync(string email)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };

        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return (context, page, problems);
    }
}
