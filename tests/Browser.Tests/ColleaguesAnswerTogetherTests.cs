using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Two colleagues of Meridian answer the same questionnaire in two browsers: answers save themselves, a change to an
/// answer the other saved meanwhile shows a conflict to keep or take, and a change made offline survives a closed tab.
/// </summary>
public sealed class ColleaguesAnswerTogetherTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string Path = $"/Assessments/{DemoData.MeridianAssessmentId}";

    // The status line may go on to name the sections whose progress changed with the save.
    private static readonly Regex AllSaved = new(@"^All changes saved\.");

    [Fact]
    public async Task TwoColleagues_SameAnswer_ConflictShownKeptAndTaken_OfflineChangeSurvivesClosedTab()
    {
        var anaId = await Colleagues.EnsureAsync(fixture.Portal, DemoData.MeridianSupplierId);
        await using var samContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        await using var anaContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var sam = await SignInAsync(samContext, DemoData.SupplierUserEmail);
        var ana = await SignInAsync(anaContext, Colleagues.MeridianColleagueEmail);
        var policyErrors = new List<string>();
        foreach (var page in new[] { sam, ana })
        {
            page.Console += (_, m) =>
            {
                if (m.Type == "error")
                {
                    policyErrors.Add(m.Text);
                }
            };
        }

        await sam.GotoAsync(Path);
        await ana.GotoAsync(Path);
        await Assertions.Expect(sam.GetByTestId("autosave-status")).ToHaveTextAsync("Changes are saved automatically as you answer.");

        // Sam answers; it saves itself, no button.
        await sam.Locator("#question-LEAD-01").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(sam.GetByTestId("autosave-status")).ToHaveTextAsync(AllSaved);
        Assert.Equal("yes", await AnswerAsync("LEAD-01"));

        // Ana's page still shows LEAD-01 unanswered; her change meets Sam's answer.
        await ana.Locator("#question-LEAD-01").GetByLabel("No", new() { Exact = true }).CheckAsync();
        var conflict = ana.GetByTestId("conflict-LEAD-01");
        await Assertions.Expect(conflict).ToContainTextAsync("Sam Okafor (Meridian Freight)");
        await Assertions.Expect(ana.GetByTestId("their-answer-LEAD-01")).ToHaveTextAsync("Yes");
        await Assertions.Expect(ana.GetByTestId("autosave-status")).ToContainTextAsync("need your attention: LEAD-01");
        Assert.Equal("yes", await AnswerAsync("LEAD-01")); // nothing overwritten

        // Ana keeps hers.
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Keep mine" }).ClickAsync();
        await Assertions.Expect(ana.GetByTestId("autosave-status")).ToHaveTextAsync(AllSaved);
        await Assertions.Expect(conflict).ToHaveCountAsync(0);
        Assert.Equal("no", await AnswerAsync("LEAD-01"));

        // Sam, still on his page, changes it again: now he meets Ana's answer, and takes it.
        await sam.Locator("#question-LEAD-01").GetByLabel("Partly", new() { Exact = true }).CheckAsync();
        var samConflict = sam.GetByTestId("conflict-LEAD-01");
        await Assertions.Expect(samConflict).ToContainTextAsync(Colleagues.MeridianColleagueName);
        await Assertions.Expect(sam.GetByTestId("their-answer-LEAD-01")).ToHaveTextAsync("No");
        await samConflict.GetByRole(AriaRole.Button, new() { Name = "Use theirs" }).ClickAsync();
        await Assertions.Expect(sam.Locator("#question-LEAD-01").GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(sam.GetByTestId("autosave-status")).ToHaveTextAsync(AllSaved);
        Assert.Equal("no", await AnswerAsync("LEAD-01"));

        // Ana loses her connection, types an answer and closes the tab before it could be sent.
        await anaContext.SetOfflineAsync(true);
        const string text = "Badge access reviewed monthly by site security.";
        await ana.Locator("#question-IMP-02").GetByRole(AriaRole.Textbox).FillAsync(text);
        await Assertions.Expect(ana.GetByTestId("autosave-status")).ToHaveAttributeAsync("data-state", "retrying");
        await Assertions.Expect(ana.GetByTestId("autosave-status")).ToContainTextAsync("kept on this device");
        Assert.Null(await AnswerAsync("IMP-02"));
        await ana.CloseAsync();

        // Back online, she opens the questionnaire again: the change is shown and sent.
        await anaContext.SetOfflineAsync(false);
        var again = await anaContext.NewPageAsync();
        await again.GotoAsync(Path);
        await Assertions.Expect(again.Locator("#question-IMP-02").GetByRole(AriaRole.Textbox)).ToHaveValueAsync(text);
        await Assertions.Expect(again.GetByTestId("autosave-status")).ToHaveTextAsync(AllSaved);
        Assert.Equal(text, await AnswerAsync("IMP-02"));
        Assert.Equal("[]", await again.EvaluateAsync<string>("() => JSON.stringify(Object.keys(localStorage))"));

        await using var db = fixture.Portal.CreateDbContext();
        var imp = await db.Answers.AsNoTracking().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "IMP-02");
        Assert.Equal(anaId, imp.UpdatedBy);
        // The offline page logs the failed fetches as console errors; none of them may be a content-security-policy refusal.
        Assert.DoesNotContain(policyErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<string?> AnswerAsync(string code)
    {
        await using var db = fixture.Portal.CreateDbContext();
        return await db.Answers.AsNoTracking()
            .Where(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == code)
            .Select(a => a.Value)
            .SingleOrDefaultAsync();
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login"));
        return page;
    }
}
