using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using MiniExcelLibs;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// A procurement lead's day on one Portal: the portfolio narrowed by each filter, sorted by score, paged and exported;
/// a reminder and a due-date extension on an issued questionnaire; a submission rejected from the review file; and a
/// questionnaire issued with the keyboard alone. Each test arranges its own suppliers (or uses a demo supplier no
/// other test here touches), so they do not depend on their order.
/// </summary>
public sealed class ProcurementPortfolioJourneysTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Prefix = "Brackwater Logistics";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// 27 suppliers whose name order differs from their score order: 01-27, risk High for every third, Approved for 02
    /// and 05, an overdue questionnaire for 07, a verified valid AEO for 04 and 11 (and an unverified one for 08, which
    /// does not count).
    /// </summary>
    private async Task ArrangePortfolioAsync()
    {
        await using var db = fixture.Portal.CreateDbContext();
        var templateId = await db.QuestionnaireTemplates.Select(t => t.Id).FirstAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 27; i++)
        {
            var id = Guid.NewGuid();
            db.Suppliers.Add(new Supplier
            {
                Id = id,
                LegalName = $"{Prefix} {i:00}",
                CountryCode = "GB",
                Tier = SupplierTier.Tier3Standard,
                Lifecycle = SupplierLifecycle.Active,
                OverallScore = i * 37 % 100 + 0.5m,
                RiskRating = i % 3 == 0 ? RiskRating.High : i % 3 == 1 ? RiskRating.Low : RiskRating.Medium,
                AssuranceStatus = i is 2 or 5 ? AssuranceStatus.Approved : AssuranceStatus.NotAssessed,
            });
            if (i == 7)
            {
                db.Assessments.Add(new Assessment
                {
                    Id = Guid.NewGuid(), SupplierId = id, TemplateId = templateId, TierAtIssue = SupplierTier.Tier3Standard,
                    DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3), IssuedAt = now.AddDays(-40),
                });
            }

            if (i is 4 or 8 or 11)
            {
                db.Credentials.Add(new Credential
                {
                    Id = Guid.NewGuid(), SupplierId = id, Type = CredentialType.EuAeo, Number = $"GBAEOS{i:0000000}",
                    ValidFrom = now.AddYears(-1), ValidUntil = now.AddYears(2), SubmittedBy = "test", SubmittedAt = now.AddDays(-10),
                    VerificationState = i == 8 ? VerificationState.Unverified : VerificationState.Verified,
                    VerifiedAt = i == 8 ? null : now.AddDays(-9),
                });
            }
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Procurement_FiltersSortsPagesAndExportsTheSupplierList()
    {
        await ArrangePortfolioAsync();
        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = ConsoleErrors(page);

        await page.GotoAsync("/Suppliers");
        await page.GetByLabel("Search name or identifier").FillAsync(Prefix);
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("27 supplier(s) match.");

        // Paging: 25 on the first page, the other two on the second, and back.
        var pages = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Assertions.Expect(pages).ToContainTextAsync("Page 1 of 2");
        var firstPage = await NamesAsync(page);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"{Prefix} {i:00}"), firstPage);
        await pages.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(pages).ToContainTextAsync("Page 2 of 2");
        Assert.Equal([$"{Prefix} 26", $"{Prefix} 27"], await NamesAsync(page));
        await Assertions.Expect(pages.GetByRole(AriaRole.Link, new() { Name = "Next" })).ToHaveCountAsync(0);
        await pages.GetByRole(AriaRole.Link, new() { Name = "Previous" }).ClickAsync();
        await Assertions.Expect(pages).ToContainTextAsync("Page 1 of 2");
        Assert.Equal(firstPage, await NamesAsync(page));

        // Sorting by score: highest first on the first click, lowest first on the second; the search stays.
        await page.GetByRole(AriaRole.Link, new() { Name = "Score", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("27 supplier(s) match.");
        var expectedScores = Enumerable.Range(1, 27).Select(i => i * 37 % 100 + 0.5m).ToList();
        var descending = await ScoresAsync(page);
        Assert.Equal(expectedScores.OrderDescending().Take(25), descending);
        await page.GetByRole(AriaRole.Link, new() { Name = "Score", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=supplier-row] td:nth-child(5)").First).ToHaveTextAsync(expectedScores.Min().ToString("0.0", Inv));
        Assert.Equal(expectedScores.Order().Take(25), await ScoresAsync(page));

        // Risk rating: the nine High ones, each showing High.
        await page.GetByLabel("Risk").SelectOptionAsync("High");
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("9 supplier(s) match.");
        var high = Enumerable.Range(1, 27).Where(i => i % 3 == 0).Select(i => $"{Prefix} {i:00}").ToHashSet();
        Assert.Equal(high, (await NamesAsync(page)).ToHashSet());
        Assert.All(await page.Locator("[data-testid=supplier-row] td:nth-child(6)").AllInnerTextsAsync(), r => Assert.Equal("High", r.Trim()));

        // Export of that filtered list: the CSV and the spreadsheet hold exactly the nine rows.
        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        Assert.EndsWith(".csv", csvDownload.SuggestedFilename, StringComparison.Ordinal);
        var csvLines = (await File.ReadAllTextAsync(await csvDownload.PathAsync(), Encoding.UTF8)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Supplier,Country,LEI,Tier,Assurance,Score,Risk", csvLines[0].TrimStart('\uFEFF').Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // No value here holds a comma; the export quotes text values.
        var csvRows = csvLines.Skip(1).Select(l => l.Split(',').Select(v => v.Trim('"')).ToArray()).ToList();
        Assert.Equal(high, csvRows.Select(r => r[0]).ToHashSet());
        Assert.All(csvRows, r => Assert.Equal("High", r[6]));

        var xlsxDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsxDownload.SuggestedFilename, StringComparison.Ordinal);
        await using (var xlsx = File.OpenRead(await xlsxDownload.PathAsync()))
        {
            var sheet = xlsx.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(high, sheet.Select(r => Convert.ToString(r["Supplier"], Inv)!).ToHashSet());
            Assert.All(sheet, r => Assert.Equal("High", Convert.ToString(r["Risk"], Inv)));
        }

        // Assurance state: the two approved ones (risk back to any).
        await page.GetByLabel("Risk").SelectOptionAsync(new SelectOptionValue { Label = "Any" });
        await page.GetByLabel("Assurance").SelectOptionAsync(new SelectOptionValue { Label = "Approved" });
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 supplier(s) match.");
        Assert.Equal([$"{Prefix} 02", $"{Prefix} 05"], await NamesAsync(page));
        Assert.All(await page.Locator("[data-testid=supplier-row] td:nth-child(4)").AllInnerTextsAsync(), r => Assert.Equal("Approved", r.Trim()));

        // Overdue: the one whose questionnaire is past its due date, marked as such.
        await page.GetByLabel("Assurance").SelectOptionAsync(new SelectOptionValue { Label = "Any" });
        await page.GetByLabel("Only suppliers with an overdue questionnaire").CheckAsync();
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("1 supplier(s) match.");
        Assert.Equal([$"{Prefix} 07"], await NamesAsync(page));
        await Assertions.Expect(page.GetByTestId("supplier-row")).ToContainTextAsync("Overdue");

        // Credential status: a verified, valid AEO counts; the unverified one of 08 does not.
        await page.GetByLabel("Only suppliers with an overdue questionnaire").UncheckAsync();
        await page.GetByLabel("Security credential").SelectOptionAsync(new SelectOptionValue { Label = "Valid AEO, C-TPAT or TAPA" });
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 supplier(s) match.");
        Assert.Equal([$"{Prefix} 04", $"{Prefix} 11"], await NamesAsync(page));
        await Assertions.Expect(page.GetByLabel("Security credential")).ToHaveValueAsync(nameof(Core.Kpis.CredentialFilter.Valid));
        await page.GetByLabel("Security credential").SelectOptionAsync(new SelectOptionValue { Label = "No valid AEO, C-TPAT or TAPA" });
        await Apply(page);
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("25 supplier(s) match.");
        Assert.DoesNotContain($"{Prefix} 04", await NamesAsync(page));
        Assert.Contains($"{Prefix} 08", await NamesAsync(page));

        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    [Fact]
    public async Task Procurement_RemindsTheSupplier_ThenExtendsTheDueDateOnlyWithAReason()
    {
        var id = DemoData.MeridianAssessmentId;
        DateOnly before;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            before = (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id)).DueDate;
        }

        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = ConsoleErrors(page);
        await page.GotoAsync($"/Suppliers/{DemoData.MeridianSupplierId}");
        await page.GetByTestId("deadline-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-due")).ToHaveTextAsync(before.ToString("d MMM yyyy", Inv));

        // A reminder: the supplier page confirms it, the timeline records it, the contact gets the e-mail.
        await page.GetByTestId("remind-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync("Reminder sent; 1 contact(s) told by e-mail.");
        await Assertions.Expect(page.GetByTestId("timeline-entry").First).ToContainTextAsync("questionnaire.reminder-sent");
        Assert.Contains(fixture.Portal.SentMail(), m => m.To == DemoData.SupplierUserEmail && m.Subject.StartsWith("Reminder:", StringComparison.Ordinal));

        // An extension without a reason is refused at the field, the chosen date kept; nothing changes.
        var later = before.AddDays(21);
        await page.GetByTestId("deadline-link").ClickAsync();
        await page.GetByLabel("New due date").FillAsync(later.ToString("yyyy-MM-dd", Inv));
        await page.GetByTestId("extend-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-Reason")).ToContainTextAsync("Say why the supplier gets more time");
        await Assertions.Expect(page.GetByLabel("New due date")).ToHaveValueAsync(later.ToString("yyyy-MM-dd", Inv));
        await Assertions.Expect(page.GetByTestId("current-due")).ToHaveTextAsync(before.ToString("d MMM yyyy", Inv));
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(before, (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id)).DueDate);
        }

        // With a reason it goes through: the new date on the supplier page, the reason in the timeline.
        await page.GetByLabel("Reason (the supplier's contacts see it").FillAsync("Their security manager is away until the end of the month.");
        await page.GetByTestId("extend-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync(
            $"Due date moved from {Core.Questionnaires.IssueQuestionnaireHandler.Day(before)} to {Core.Questionnaires.IssueQuestionnaireHandler.Day(later)}");
        await Assertions.Expect(page.GetByTestId("assessment-row")).ToContainTextAsync(later.ToString("d MMM yyyy", Inv));
        await Assertions.Expect(page.GetByTestId("timeline-entry").First).ToContainTextAsync("questionnaire.due-date-extended");
        await Assertions.Expect(page.GetByTestId("timeline-entry").First).ToContainTextAsync("away until the end of the month");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(later, (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id)).DueDate);
        }

        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    [Fact]
    public async Task Reviewer_ReadsTheScoreAndTheEvidenceBesideItsAnswer_RejectsOnlyWithAReason()
    {
        var id = DemoData.CalderaAssessmentId;
        var code = await ReviewForms.PlainQuestionAsync(fixture.Portal, id);
        var evidence = Encoding.ASCII.GetBytes("%PDF-1.7\n% access control procedure\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var score = await SubmitForReviewAsync(id, code, "access control procedure.pdf", evidence);

        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = ConsoleErrors(page);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Reviews" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Review Caldera Components GmbH" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");

        // The score and its breakdown by section, as stored by the scoring.
        await Assertions.Expect(page.GetByTestId("review-score")).ToContainTextAsync($"Overall {score.OverallScore.ToString("0.0", Inv)} of 100");
        var sectionRows = page.GetByTestId("score-sections").Locator("tbody tr");
        await Assertions.Expect(sectionRows).ToHaveCountAsync(score.Sections.Count);
        for (var i = 0; i < score.Sections.Count; i++)
        {
            await Assertions.Expect(sectionRows.Nth(i).Locator("td").Nth(0)).ToHaveTextAsync(score.Sections[i].Section);
            await Assertions.Expect(sectionRows.Nth(i).Locator("td").Nth(1)).ToHaveTextAsync(score.Sections[i].Score.ToString("0.0", Inv));
        }

        // The answer with its evidence beside it; the link gives back the file the supplier attached.
        var question = page.Locator($"#question-{code}");
        await Assertions.Expect(question.GetByTestId($"answer-{code}")).ToHaveTextAsync("partial");
        var fileLink = question.GetByTestId($"evidence-{code}").GetByRole(AriaRole.Link, new() { Name = "access control procedure.pdf" });
        await Assertions.Expect(fileLink).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => fileLink.ClickAsync());
        Assert.Equal(evidence, await File.ReadAllBytesAsync(await download.PathAsync()));

        // Reject without a reason: refused with the message, the choice kept; nothing decided.
        await page.GetByLabel("Reject", new() { Exact = true }).CheckAsync();
        await page.GetByTestId("record-decision").ClickAsync();
        await Assertions.Expect(page.GetByTestId("review-errors")).ToContainTextAsync("Give the reason for this decision.");
        await Assertions.Expect(page.GetByLabel("Reject", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");

        await page.GetByLabel("Reason (needed for all but a plain approval").FillAsync("The access controls described do not cover the bonded area.");
        await page.GetByTestId("record-decision").ClickAsync();
        await Assertions.Expect(page.GetByTestId("review-message")).ToHaveTextAsync("Decision recorded: Rejected.");
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Rejected");
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync("Rejected — The access controls described do not cover the bonded area.");

        // Off the queue; the supplier page shows the rejection.
        await page.GotoAsync("/Reviews");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Review Caldera Components GmbH" })).ToHaveCountAsync(0);
        await page.GotoAsync($"/Suppliers/{DemoData.CalderaSupplierId}");
        await Assertions.Expect(page.GetByTestId("assurance")).ToHaveTextAsync("Rejected");
        await Assertions.Expect(page.GetByTestId("assessment-row")).ToContainTextAsync("Rejected");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(AssessmentState.Rejected, (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id)).State);
        }

        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    /// <summary>
    /// Keyboard only (no click): skip link, search, open the supplier, issue a questionnaire; refused without a contact,
    /// then issued. The focus is visible at each stop.
    /// </summary>
    [Fact]
    public async Task Procurement_IssuesAQuestionnaireWithTheKeyboardAlone()
    {
        var keywayId = Guid.NewGuid();
        await using (var db = fixture.Portal.CreateDbContext())
        {
            db.Suppliers.Add(new Supplier { Id = keywayId, LegalName = "Keyway Cold Chain Ltd", CountryCode = "IE", Tier = SupplierTier.Tier3Standard });
            await db.SaveChangesAsync();
        }

        await fixture.Portal.CreateUserAsync("security@keyway.example", Roles.SupplierAdmin, keywayId);
        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = ConsoleErrors(page);
        var keys = page.Keyboard;

        // The dashboard: a chart's bar is a link reached with Tab, its focus drawn on the bar, and Enter opens the list
        // narrowed to it; the list's Clear button (Enter) shows every supplier again.
        await page.GotoAsync("/Dashboard");
        var bar = page.GetByTestId("chart-schedule").GetByTestId("bar").First;
        await TabToAsync(page, bar);
        Assert.Equal("3px", await bar.Locator("rect").EvaluateAsync<string>("r => getComputedStyle(r).strokeWidth"));
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("kpi-filter")).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Clear" }));
        await AssertFocusVisibleAsync(page);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("kpi-filter")).ToHaveCountAsync(0);

        // The first Tab stop is the skip link, shown on screen when focused; it moves the focus into the main content.
        await keys.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await AssertFocusVisibleAsync(page);
        await keys.PressAsync("Enter");
        await keys.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("onboard-link")).ToBeFocusedAsync();

        await TabToAsync(page, page.GetByLabel("Search name or identifier"));
        await AssertFocusVisibleAsync(page);
        await keys.TypeAsync("Keyway");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("result-count")).ToHaveTextAsync("1 supplier(s) match.");

        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Keyway Cold Chain Ltd", Exact = true }));
        await AssertFocusVisibleAsync(page);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("supplier-name")).ToHaveTextAsync("Keyway Cold Chain Ltd");

        await TabToAsync(page, page.GetByTestId("issue-link"));
        await AssertFocusVisibleAsync(page);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Issue a questionnaire to Keyway Cold Chain Ltd" })).ToBeVisibleAsync();

        // The due date typed segment by segment, in the order the browser's locale shows them.
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45);
        await TabToAsync(page, page.GetByLabel("Due date"));
        await AssertFocusVisibleAsync(page);
        var order = await page.EvaluateAsync<string[]>("() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2000, 10, 22)).filter(p => p.type !== 'literal').map(p => p.type)");
        foreach (var part in order)
        {
            await keys.TypeAsync(part switch
            {
                "year" => due.Year.ToString("0000", Inv),
                "month" => due.Month.ToString("00", Inv),
                _ => due.Day.ToString("00", Inv),
            });
        }

        await Assertions.Expect(page.GetByLabel("Due date")).ToHaveValueAsync(due.ToString("yyyy-MM-dd", Inv));

        // The contact is ticked; Space unticks it and the submit button (Enter) is refused with the message.
        var contact = page.GetByLabel("security@keyway.example");
        await TabToAsync(page, contact);
        await AssertFocusVisibleAsync(page);
        await Assertions.Expect(contact).ToBeCheckedAsync();
        await keys.PressAsync("Space");
        await Assertions.Expect(contact).Not.ToBeCheckedAsync();
        await TabToAsync(page, page.GetByTestId("issue-submit"));
        await AssertFocusVisibleAsync(page);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("error-ContactIds")).ToHaveTextAsync("Choose at least one contact to notify.");
        await Assertions.Expect(page.GetByLabel("Due date")).ToHaveValueAsync(due.ToString("yyyy-MM-dd", Inv));

        // Tick it again with Space and press the button with Space.
        await TabToAsync(page, contact);
        await keys.PressAsync("Space");
        await TabToAsync(page, page.GetByTestId("issue-submit"));
        await keys.PressAsync("Space");
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync($"Questionnaire issued, due {Core.Questionnaires.IssueQuestionnaireHandler.Day(due)}");
        await Assertions.Expect(page.GetByTestId("assessment-row")).ToContainTextAsync("Not started");

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var issued = await db.Assessments.AsNoTracking().SingleAsync(a => a.SupplierId == keywayId);
            Assert.Equal(due, issued.DueDate);
            Assert.Equal(AssessmentState.Issued, issued.State);
        }

        Assert.Contains(fixture.Portal.SentMail(), m => m.To == "security@keyway.example");
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    /// <summary>
    /// A review with the keyboard alone (after sign-in): the menu's Reviews link, the submission in the queue, the full
    /// score breakdown with a clause opened by Enter and back to the review, the evidence beside an answer downloaded
    /// with Enter, a question-level comment typed and sent, the next answer reached, then back up (Shift+Tab) to the
    /// decision: "return for clarification" chosen with the arrow keys, a reason typed, recorded with Enter. Quayside is
    /// this test's own supplier. The focus is visible at each stop.
    /// </summary>
    [Fact]
    public async Task Reviewer_KeyboardOnly_ReadsTheScore_MovesBetweenAnswersAndEvidence_ReturnsForClarification()
    {
        const string name = "Quayside Reefer Services Ltd";
        var (_, id) = await ScoredCycle.IssueOwnQuestionnaireAsync(fixture.Portal, name, "NL", issuedDaysAgo: 10, dueInDays: 20);
        var code = await ReviewForms.PlainQuestionAsync(fixture.Portal, id);
        var evidence = Encoding.ASCII.GetBytes("Reefer yard patrol log, week 14.\n");
        var score = await SubmitForReviewAsync(id, code, "patrol log.txt", evidence);

        await using var context = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var page = await context.NewPageAsync();
        var problems = ConsoleErrors(page);
        var keys = page.Keyboard;
        await page.GotoAsync("/");

        // The queue, then the submission.
        await KeyboardWalk.TabToAsync(page, page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Reviews", Exact = true }), "the Reviews link of the menu");
        await keys.PressAsync("Enter");
        await KeyboardWalk.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = $"Review {name}" }), "the submission's Review link");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");
        await Assertions.Expect(page.GetByTestId("review-score")).ToContainTextAsync($"Overall {score.OverallScore.ToString("0.0", Inv)} of 100");

        // The full breakdown: a clause opened with Enter on its summary, then Shift+Tab back up to the link to the review.
        await KeyboardWalk.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "full breakdown with what to fix first" }), "the full breakdown link");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Score breakdown" })).ToBeVisibleAsync();
        var clause = page.Locator("details[data-testid^='clauses-']").First;
        await KeyboardWalk.TabToAsync(page, clause.Locator("summary"), "the first clause's summary");
        await Assertions.Expect(clause).Not.ToHaveAttributeAsync("open", "");
        await keys.PressAsync("Enter");
        await Assertions.Expect(clause).ToHaveAttributeAsync("open", "");
        await Assertions.Expect(clause.Locator("table")).ToBeVisibleAsync();
        await KeyboardWalk.TabToAsync(page, page.GetByTestId("back-to-review"), "Back to the review", backwards: true, max: 10);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");

        // The answer's evidence: reached beside the answer and downloaded with Enter.
        var question = page.Locator($"#question-{code}");
        await KeyboardWalk.TabToAsync(page, question.GetByTestId($"evidence-{code}").GetByRole(AriaRole.Link, new() { Name = "patrol log.txt" }), $"the evidence of {code}", max: 120);
        var download = await page.RunAndWaitForDownloadAsync(() => keys.PressAsync("Enter"));
        Assert.Equal(evidence, await File.ReadAllBytesAsync(await download.PathAsync()));

        // A comment on that answer: typed, sent with Enter; the page comes back at the question and shows it.
        const string comment = "Which yards does the patrol cover at night?";
        await KeyboardWalk.TabToAsync(page, page.GetByTestId($"comment-text-{code}"), $"the comment field of {code}", max: 3);
        await keys.TypeAsync(comment);
        await KeyboardWalk.TabToAsync(page, page.GetByTestId($"comment-send-{code}"), $"the Add comment button of {code}", max: 2);
        await keys.PressAsync("Enter");
        await page.WaitForURLAsync($"**/Reviews/{id}#question-{code}");
        await Assertions.Expect(page.GetByTestId($"comments-{code}")).ToContainTextAsync(comment);

        // The next answer: Tab moves on from this question to the following one's controls.
        var next = question.Locator("xpath=following::article[contains(@class,'question')][1]");
        var nextCode = (await next.GetAttributeAsync("data-question"))!;
        await KeyboardWalk.TabToAsync(page, page.GetByTestId($"comment-text-{nextCode}"), $"the next answer ({nextCode})", max: 6);

        // Back up to the decision: Shift+Tab enters the outcome group at its last choice; the arrow keys move to
        // "return for clarification"; the reason typed; Enter on Record decision.
        var outcomes = page.Locator("input[name=Outcome]");
        await KeyboardWalk.TabToAsync(page, outcomes.Last, "the last outcome choice", backwards: true, max: 120);
        var clarify = page.GetByTestId("outcome-clarify");
        for (var i = 0; i < 5 && !await clarify.IsCheckedAsync(); i++)
        {
            await keys.PressAsync("ArrowUp");
        }

        await Assertions.Expect(clarify).ToBeCheckedAsync();
        await Assertions.Expect(clarify).ToBeFocusedAsync();
        await Assertions.Expect(clarify).ToHaveAccessibleNameAsync(new Regex("of the 1 question\\(s\\) commented"));
        await KeyboardWalk.ExpectFocusVisibleAsync(page, "the clarification choice");
        await KeyboardWalk.TabToAsync(page, page.GetByLabel("Reason (needed for all but a plain approval"), "the reason", max: 2);
        await keys.TypeAsync("One answer needs a word on where the patrols go.");
        await KeyboardWalk.TabToAsync(page, page.GetByTestId("record-decision"), "Record decision", max: 3);
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("review-message")).ToContainTextAsync("Returned to the supplier for clarification");
        await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Returned for clarification");
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(AssessmentState.Clarification, (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id)).State);
        }

        Assert.True(problems.Count == 0, string.Join(" | ", problems));
    }

    private static Task Apply(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

    private static async Task<List<string>> NamesAsync(IPage page) =>
        [.. (await page.GetByTestId("supplier-link").AllInnerTextsAsync()).Select(n => n.Trim())];

    private static async Task<List<decimal>> ScoresAsync(IPage page) =>
        [.. (await page.Locator("[data-testid=supplier-row] td:nth-child(5)").AllInnerTextsAsync()).Select(s => decimal.Parse(s.Trim(), Inv))];

    private static List<string> ConsoleErrors(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{page.Url}: {message.Text}");
            }
        };
        return problems;
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus; fails if 60 presses do not reach it.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        var at = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200) ?? 'nothing'");
        Assert.Fail($"Tab never reached {target}; the focus is on {at}");
    }

    /// <summary>The focused element shows a focus indicator: an outline or a box shadow (Pico draws focus rings as shadows).</summary>
    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var style = await page.EvaluateAsync<string>("""
            () => {
                const e = document.activeElement;
                const s = getComputedStyle(e);
                const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                const shadow = s.boxShadow && s.boxShadow !== 'none';
                return (outline || shadow ? 'visible ' : 'none ') + e.tagName + ' outline=' + s.outlineStyle + ' ' + s.outlineWidth + ' shadow=' + s.boxShadow;
            }
            """);
        Assert.True(style.StartsWith("visible", StringComparison.Ordinal), $"No visible focus indicator: {style}");
    }

    /// <summary>
    /// Arranged through the use cases (the test server's in-memory client does not reach the Kestrel host): the supplier
    /// attaches <paramref name="fileName"/> to <paramref name="code"/>'s answer, answers half-way and submits; the
    /// workflow scores it and puts it Under review. Returns the score.
    /// </summary>
    private async Task<ScoreResult> SubmitForReviewAsync(Guid id, string code, string fileName, byte[] evidence)
    {
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var upload = new UploadEvidenceHandler(db, fixture.Portal.Services.GetRequiredService<IEvidenceStore>(),
                fixture.Portal.Services.GetRequiredService<IOptions<EvidenceOptions>>(), TimeProvider.System);
            using var content = new MemoryStream(evidence);
            Assert.True((await upload.HandleAsync(new UploadEvidenceRequest(id, code, fileName, content, Guid.Empty), CancellationToken.None)).Succeeded);
            var answers = (await ReviewForms.MiddlingAnswersAsync(fixture.Portal, id)).Select(a => new AnswerInput(a.Code, a.Value, null)).ToList();
            Assert.True((await new SaveAnswersHandler(db, TimeProvider.System).HandleAsync(new SaveAnswersRequest(id, Guid.Empty, answers), CancellationToken.None)).Succeeded);
            var starter = fixture.Portal.Services.GetRequiredService<IAssessmentReviewStarter>();
            Assert.True((await new SubmitAssessmentHandler(db, starter, TimeProvider.System).HandleAsync(new SubmitAssessmentRequest(id, Guid.Empty), CancellationToken.None)).Succeeded);
        }

        var scored = await fixture.Portal.WaitForAssessmentAsync(id, a => a.State is not (AssessmentState.Submitted or AssessmentState.InProgress));
        Assert.Equal(AssessmentState.UnderReview, scored.State);
        return JsonSerializer.Deserialize<ScoreResult>(scored.ScoreResultJson!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
