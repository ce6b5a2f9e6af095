using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Evidence;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// The evidence library in Chromium: the supplier finds an earlier upload in the library, sets its expiry, uses it for a
/// second question without uploading it again, and in the next cycle links it again with one click.
/// </summary>
public sealed class SupplierReusesLibraryEvidenceTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly byte[] Policy = Encoding.ASCII.GetBytes("%PDF-1.7\n% site security plan\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task Supplier_UsesALibraryFileForASecondQuestion_ThenLinksItAgainInTheNextCycle()
    {
        var first = DemoData.MeridianAssessmentId;
        // Arranged through the use case (the test server's in-memory client does not reach the Kestrel host): the
        // site security plan was uploaded to LEAD-01.
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var upload = new UploadEvidenceHandler(db, fixture.Portal.Services.GetRequiredService<IEvidenceStore>(),
                fixture.Portal.Services.GetRequiredService<IOptions<EvidenceOptions>>(), TimeProvider.System);
            using var content = new MemoryStream(Policy);
            Assert.True((await upload.HandleAsync(new UploadEvidenceRequest(first, "LEAD-01", "site security plan.pdf", content, Guid.Empty), CancellationToken.None)).Succeeded);
        }

        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(DemoData.SupplierUserEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The library, from the main menu: the upload is there, supporting LEAD-01.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Evidence" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Evidence library" })).ToBeVisibleAsync();
        var row = page.GetByTestId("library-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("supports")).ToContainTextAsync("LEAD-01");

        // Name it, say it is a plan valid for two years, and use it for CTX-01 too.
        await row.GetByTestId("document-link").ClickAsync();
        await page.GetByLabel("Title").FillAsync("Site security plan");
        await page.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Label = "Plan" });
        var lastDay = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Valid until (the last day; empty when it does not expire)").FillAsync(lastDay);
        await page.GetByTestId("details-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync("The document's details are saved.");
        await Assertions.Expect(page.GetByTestId("document-title")).ToHaveTextAsync("Site security plan");
        await Assertions.Expect(page.GetByTestId("document-expiry")).ToHaveTextAsync($"valid until {lastDay}");

        await page.GetByLabel("Question of an open questionnaire").SelectOptionAsync($"{first}|CTX-01");
        await page.GetByTestId("link-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync("The document now supports CTX-01.");
        await Assertions.Expect(page.GetByTestId("use-CTX-01")).ToContainTextAsync("linked from the library");

        // The questionnaire shows the file under both questions.
        await page.GotoAsync($"/Assessments/{first}");
        await Assertions.Expect(page.GetByTestId("evidence-CTX-01")).ToContainTextAsync("site security plan.pdf");
        await Assertions.Expect(page.GetByTestId("evidence-LEAD-01")).ToContainTextAsync("site security plan.pdf");

        // A year on: last cycle is approved and the next questionnaire is issued.
        Guid next;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var last = await db.Assessments.SingleAsync(a => a.Id == first);
            last.State = AssessmentState.Approved;
            var issued = new Assessment
            {
                Id = Guid.NewGuid(), SupplierId = last.SupplierId, TemplateId = last.TemplateId, TierAtIssue = last.TierAtIssue,
                DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45), IssuedAt = DateTimeOffset.UtcNow, State = AssessmentState.Issued,
            };
            db.Assessments.Add(issued);
            await db.SaveChangesAsync();
            next = issued.Id;
        }

        await page.GotoAsync("/Evidence");
        await page.GetByTestId("reuse-link").ClickAsync();
        var candidate = page.GetByTestId("candidate");
        await Assertions.Expect(candidate).ToHaveCountAsync(1);
        await Assertions.Expect(candidate).ToContainTextAsync("CTX-01, LEAD-01");
        await candidate.GetByRole(AriaRole.Button, new() { Name = "Link Site security plan again" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync("“Site security plan” now supports CTX-01, LEAD-01.");
        await Assertions.Expect(candidate.GetByTestId("linked")).ToHaveTextAsync("Linked");

        await page.GotoAsync($"/Assessments/{next}");
        await Assertions.Expect(page.GetByTestId("evidence-LEAD-01")).ToContainTextAsync("site security plan.pdf");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            // Two questions in each of two cycles, one stored version.
            Assert.Equal(4, await db.EvidenceFiles.CountAsync(f => f.FileName == "site security plan.pdf"));
            Assert.Single(await db.EvidenceVersions.ToListAsync());
        }
    }
}
