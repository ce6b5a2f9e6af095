using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

public sealed class ProcurementIssuesQuestionnaireTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Guid QuayId = Guid.Parse("4b0a0000-0000-4000-8000-0000000000d3");

    [Fact]
    public async Task Procurement_OpensSupplierFromListAndIssuesQuestionnaire_SeesItOnTheSupplierPage()
    {
        await using (var db = fixture.Portal.CreateDbContext())
        {
            db.Suppliers.Add(new Supplier { Id = QuayId, LegalName = "Quayside Bonded Logistics Ltd", CountryCode = "GB", Tier = SupplierTier.Tier3Standard });
            await db.SaveChangesAsync();
        }

        await fixture.Portal.CreateUserAsync("security@quayside.example", Roles.SupplierAdmin, QuayId);

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
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
        await page.GetByLabel("E-mail address").FillAsync(DemoData.ProcurementUserEmail);
        // The address comes first (home-realm discovery); the operator's domain has no provider, so the password follows.
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The portfolio: search for the supplier and open its page from its name.
        await page.GotoAsync("/Suppliers");
        await page.GetByLabel("Search name or identifier").FillAsync("Quayside");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Quayside Bonded Logistics Ltd", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("supplier-name")).ToHaveTextAsync("Quayside Bonded Logistics Ltd");
        await Assertions.Expect(page.GetByTestId("assessments")).ToContainTextAsync("No questionnaire issued yet.");

        // Issue: a date in the past is refused with a message at the field, then a good date goes through.
        await page.GetByTestId("issue-link").ClickAsync();
        await page.GetByLabel("Due date").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        // The browser's own min-date check would stop the form; the server's check is what is under test here.
        await page.EvaluateAsync("document.getElementById('DueDate').removeAttribute('min')");
        await page.GetByTestId("issue-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-DueDate")).ToContainTextAsync("must be in the future");

        var due = DateTime.UtcNow.AddDays(28).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel("Due date").FillAsync(due);
        await Assertions.Expect(page.GetByLabel("security@quayside.example")).ToBeCheckedAsync();
        await page.GetByTestId("issue-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("Questionnaire issued");
        await Assertions.Expect(page.GetByTestId("assessment-row")).ToContainTextAsync("Not started");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("questionnaire.issued");

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var issued = await db.Assessments.AsNoTracking().SingleAsync(a => a.SupplierId == QuayId);
            Assert.Equal(AssessmentState.Issued, issued.State);
            Assert.Equal(due, issued.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        Assert.Contains(fixture.Portal.SentMail(), m => m.To == "security@quayside.example");
        Assert.Empty(problems);
    }

    /// <summary>
    /// Onboarding one supplier: from the list to the form, a country code that does not exist is refused at its field
    /// with what was typed kept, then the supplier is created, its contact invited by name, and the supplier page says so.
    /// </summary>
    [Fact]
    public async Task Procurement_OnboardsOneSupplier_FixesTheCountry_LandsOnItsPageWithTheContactInvited()
    {
        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };

        await page.GotoAsync("/Suppliers");
        await page.GetByTestId("onboard-link").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Onboard a supplier", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Legal name").FillAsync("Tamar Estuary Haulage Ltd");
        await page.GetByLabel("Country of registration").FillAsync("UK");
        await page.GetByLabel("VAT number").FillAsync("GB 246 8101 21");
        await page.GetByLabel("Contact's name").FillAsync("Wenna Trelawny");
        await page.GetByLabel("Contact's e-mail address").FillAsync("wenna@tamar-haulage.example");
        await page.GetByLabel("Starting tier").SelectOptionAsync("2");
        await page.GetByTestId("onboard-submit").ClickAsync();

        // "UK" is not an ISO 3166 code: the message sits at the field, the field is marked, the rest is kept.
        await Assertions.Expect(page.GetByTestId("error-Country")).ToContainTextAsync("is not a two-letter ISO 3166 country code");
        await Assertions.Expect(page.GetByLabel("Country of registration")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("Contact's name")).ToHaveValueAsync("Wenna Trelawny");
        await Assertions.Expect(page.GetByLabel("Starting tier")).ToHaveValueAsync("2");

        await page.GetByLabel("Country of registration").FillAsync("GB");
        await page.GetByTestId("onboard-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("supplier-name")).ToHaveTextAsync("Tamar Estuary Haulage Ltd");
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("Wenna Trelawny (wenna@tamar-haulage.example) is invited");
        await Assertions.Expect(page.GetByTestId("current-tier")).ToHaveTextAsync("Tier 2 (significant)");
        await Assertions.Expect(page.GetByTestId("open-invitation")).ToContainTextAsync("Wenna Trelawny <wenna@tamar-haulage.example>");

        Assert.StartsWith("Hello Wenna Trelawny,", Assert.Single(fixture.Portal.SentMail(), m => m.To == "wenna@tamar-haulage.example").Text, StringComparison.Ordinal);
        // The refusal is answered with a 200 page (the form again), so no console error is expected at all.
        Assert.Empty(problems);
    }
}
