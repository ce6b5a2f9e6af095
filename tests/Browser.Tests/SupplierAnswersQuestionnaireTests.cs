using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

public sealed class SupplierAnswersQuestionnaireTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Supplier_SignsInAnswersUploadsAndSubmits_SeesTheApprovedResult()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                consoleErrors.Add($"{response.Status} {response.Url}");
            }
        };

        // Sign in: the start page sends an anonymous visitor to the sign-in form.
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await page.GetByLabel("E-mail address").FillAsync(DemoData.SupplierUserEmail);
        // The sign-in page asks for the address first (home-realm discovery), then for the password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The questionnaire issued to Meridian is on the start page.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your questionnaires" })).ToBeVisibleAsync();
        await page.GetByTestId("assessment-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Not started");

        // Answer every question the way a person would: click the choice, pick the level, type the text.
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var templateId = await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.TemplateId).SingleAsync();
            var questions = await db.TemplateQuestions.Where(q => q.TemplateId == templateId).OrderBy(q => q.Order).ToListAsync();
            // Only the questions the page shows for Meridian's tier; the bank holds deeper ones for Tiers 1 and 2.
            foreach (var q in questions.Where(q => q.AppliesTo(SupplierAssure.Core.Suppliers.SupplierTier.Tier3Standard)))
            {
                var block = page.Locator($"#question-{q.Code}");
                switch (q.AnswerType)
                {
                    case AnswerType.YesPartialNo:
                        await block.GetByLabel("Yes", new() { Exact = true }).CheckAsync();
                        break;
                    case AnswerType.Maturity:
                        await block.GetByLabel("Maturity level").SelectOptionAsync("4");
                        break;
                    case AnswerType.SingleChoice:
                        await block.GetByLabel(q.Options.MaxBy(o => o.Score)!.Label, new() { Exact = true }).CheckAsync();
                        break;
                    case AnswerType.MultipleChoice:
                        foreach (var option in q.Options.Where(o => o.Score > 0))
                        {
                            await block.GetByLabel(option.Label, new() { Exact = true }).CheckAsync();
                        }

                        break;
                    case AnswerType.Number:
                        await block.GetByLabel("Number").FillAsync("1");
                        break;
                    case AnswerType.Date:
                        await block.GetByLabel("Date").FillAsync("2026-01-31");
                        break;
                    default:
                        await block.GetByRole(AriaRole.Textbox).FillAsync("We are preparing for ISO 28000 certification next spring.");
                        break;
                }
            }
        }

        var evidence = Path.Combine(Path.GetTempPath(), $"security-policy-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(evidence, "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        try
        {
            await page.Locator("#question-LEAD-01 input[type=file]").SetInputFilesAsync(evidence);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        }
        finally
        {
            File.Delete(evidence);
        }

        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync("Your answers are saved.");
        await Assertions.Expect(page.GetByTestId("evidence-LEAD-01")).ToContainTextAsync("security-policy-");
        await Assertions.Expect(page.Locator("#question-OPS-02").GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Submit questionnaire" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("submitted");

        // The page refreshes itself while the workflow scores the submission.
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Approved", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("overall-score")).ToHaveTextAsync("98.6");

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "submitted-questionnaire.png"), FullPage = true });

        await using var check = fixture.Portal.CreateDbContext();
        var assessment = await check.Assessments.Include(a => a.EvidenceFiles).SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        Assert.Equal(AssessmentState.Approved, assessment.State);
        Assert.Single(assessment.EvidenceFiles);
        Assert.Empty(consoleErrors);
    }
}
