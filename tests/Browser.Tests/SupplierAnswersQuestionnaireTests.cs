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

    /// <summary>
    /// Northgate (Tier 1, carrier, warehouse and logistics) gets CGO-04 only when CGO-03 says sea freight: the follow-up
    /// appears and disappears as the answer changes, is announced, and the section's count follows the saved answer.
    /// A file over the server's per-file limit dropped on a question is refused on the page and never sent.
    /// </summary>
    [Fact]
    public async Task Supplier_ChangesTriggerAnswer_FollowUpAppearsAndGoes_OversizeFileRefusedBeforeUpload()
    {
        const string email = "followups@northgate.example";
        await fixture.Portal.CreateUserAsync(email, SupplierAssure.Core.Identity.Roles.SupplierAdmin, DemoData.NorthgateSupplierId);
        await using var context = await fixture.SignedInContextAsync(email);
        var page = await context.NewPageAsync();
        var uploads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.Contains("/evidence", StringComparison.Ordinal))
            {
                uploads.Add(request.Url);
            }
        };
        await page.GotoAsync($"/Assessments/{DemoData.NorthgateAssessmentId}");

        var trigger = page.Locator("#question-CGO-03");
        var followUp = page.Locator("#question-CGO-04");
        var announced = page.GetByTestId("followup-status");
        var cargoCount = page.GetByTestId("section-overview").Locator("li", new() { HasText = "Cargo and conveyance security" }).Locator(".section-count");
        await Assertions.Expect(followUp).ToBeHiddenAsync();
        var before = Count(await cargoCount.TextContentAsync());

        // Sea freight: the follow-up is there at once and announced; once saved, the section needs one answer more.
        await trigger.GetByLabel("Sea freight in containers").CheckAsync();
        await Assertions.Expect(followUp).ToBeVisibleAsync();
        await Assertions.Expect(announced).ToHaveTextAsync("1 follow-up question now asked, further down: CGO-04.");
        await Assertions.Expect(cargoCount).ToHaveTextAsync($"{before.Answered} of {before.Required + 1} required answered");
        await Assertions.Expect(page.GetByTestId("autosave-status")).ToContainTextAsync("All changes saved.");
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));

        // Road: gone again, said so, and the count is back.
        await trigger.GetByLabel("Road", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(followUp).ToBeHiddenAsync();
        await Assertions.Expect(announced).ToContainTextAsync("1 follow-up question no longer asked and now hidden: CGO-04.");
        await Assertions.Expect(cargoCount).ToHaveTextAsync($"{before.Answered} of {before.Required} required answered");
        await Assertions.Expect(page.GetByTestId("autosave-status")).ToContainTextAsync("All changes saved.");

        // One byte over the limit the page was given by the server: refused next to the question, nothing sent.
        var upload = trigger.Locator("input[type=file]");
        await Assertions.Expect(upload).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^Attach evidence files "));
        var maxBytes = long.Parse((await upload.GetAttributeAsync("data-max-bytes"))!, System.Globalization.CultureInfo.InvariantCulture);
        var maxSize = await upload.GetAttributeAsync("data-max-size");
        var zone = page.GetByTestId("dropzone-CGO-03");
        var transfer = await page.EvaluateHandleAsync("""
            size => {
                const dt = new DataTransfer();
                dt.items.add(new File([new Uint8Array(size)], 'route survey.pdf', { type: 'application/pdf' }));
                return dt;
            }
            """, maxBytes + 1);
        await zone.DispatchEventAsync("drop", new { dataTransfer = transfer });
        var refused = zone.GetByTestId("upload-item").Filter(new() { HasText = "route survey.pdf" });
        await Assertions.Expect(refused).ToHaveAttributeAsync("data-state", "failed");
        await Assertions.Expect(refused.GetByTestId("upload-state")).ToContainTextAsync($"larger than the {maxSize} allowed for one file");
        await Assertions.Expect(page.GetByTestId("dropzone-status-CGO-03")).ToContainTextAsync("route survey.pdf was not uploaded: ");
        Assert.Empty(uploads);

        await using var db = fixture.Portal.CreateDbContext();
        Assert.False(await db.EvidenceFiles.AnyAsync(e => e.AssessmentId == DemoData.NorthgateAssessmentId));
        Assert.Equal("road", await db.Answers.Where(a => a.AssessmentId == DemoData.NorthgateAssessmentId && a.QuestionCode == "CGO-03").Select(a => a.Value).SingleAsync());

        static (int Answered, int Required) Count(string? words)
        {
            var parts = (words ?? string.Empty).Trim().Split(' ');
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
