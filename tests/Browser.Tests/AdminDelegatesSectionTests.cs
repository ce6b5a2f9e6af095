using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Delegation;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// A supplier admin gives a section of the questionnaire to a colleague; the colleague signs in, finds it on her home
/// page, answers it, and the section's progress moves in the overview and the heading as the answers save themselves.
/// </summary>
public sealed class AdminDelegatesSectionTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Section = "Context of the organisation";
    private static readonly string Path = $"/Assessments/{DemoData.MeridianAssessmentId}";

    [Fact]
    public async Task AdminDelegatesSection_ColleagueSeesItAssigned_AnswersIt_ProgressMoves()
    {
        var anaId = await Colleagues.EnsureAsync(fixture.Portal, DemoData.MeridianSupplierId);
        await using var samContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var sam = await SignInAsync(samContext, DemoData.SupplierUserEmail);
        await sam.GotoAsync(Path);
        await sam.GetByTestId("delegate-link").ClickAsync();
        await sam.GetByLabel(Section, new() { Exact = true }).CheckAsync();
        await sam.GetByLabel("Colleague who answers the ticked sections").SelectOptionAsync(new SelectOptionValue { Value = anaId.ToString() });
        await sam.GetByRole(AriaRole.Button, new() { Name = "Assign the ticked sections" }).ClickAsync();
        await Assertions.Expect(sam.GetByTestId("notice")).ToContainTextAsync($"now assigned to {Colleagues.MeridianColleagueName}");

        await using var anaContext = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var ana = await SignInAsync(anaContext, Colleagues.MeridianColleagueEmail);
        await ana.GotoAsync("/");
        var assigned = ana.GetByTestId("home-assigned");
        await Assertions.Expect(assigned.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Assigned to you");
        await assigned.GetByRole(AriaRole.Link, new() { Name = Section }).ClickAsync();
        await Assertions.Expect(ana).ToHaveURLAsync(new Regex(Regex.Escape(Path) + "#section-"));

        var item = ana.Locator("[data-testid=section-overview] li", new() { HasText = Section });
        await Assertions.Expect(item.Locator(".section-count")).ToHaveTextAsync("0 of 4 required answered");
        await Assertions.Expect(item).ToContainTextAsync("Assigned to you");
        var section = ana.Locator("section[data-section]", new() { Has = ana.GetByRole(AriaRole.Heading, new() { Name = Section }) });
        await Assertions.Expect(section.Locator(".section-owner")).ToContainTextAsync("Assigned to you by Sam Okafor (Meridian Freight)");

        // Ana answers the section's four questions one by one; each saves itself and the counts follow.
        var questions = section.Locator("fieldset.question");
        await Assertions.Expect(questions).ToHaveCountAsync(4);
        for (var i = 0; i < 4; i++)
        {
            await questions.Nth(i).GetByLabel("Yes", new() { Exact = true }).CheckAsync();
            await Assertions.Expect(item.Locator(".section-count")).ToHaveTextAsync($"{i + 1} of 4 required answered");
        }

        await Assertions.Expect(section.Locator("h2 .section-count")).ToHaveTextAsync("4 of 4 required answered");
        await Assertions.Expect(item).ToHaveClassAsync(new Regex("complete"));
        // The status line (the page's one live region) says it once per save, not the overview itself.
        await Assertions.Expect(ana.GetByTestId("autosave-status")).ToHaveTextAsync($"All changes saved. {Section}: 4 of 4 required answered.");
        Assert.Null(await item.GetAttributeAsync("aria-live"));

        // The server agrees without script: Sam's reload shows the same counts and who answers the section.
        await sam.GotoAsync(Path);
        var samItem = sam.Locator("[data-testid=section-overview] li", new() { HasText = Section });
        await Assertions.Expect(samItem.Locator(".section-count")).ToHaveTextAsync("4 of 4 required answered");
        await Assertions.Expect(samItem).ToContainTextAsync($"Assigned to {Colleagues.MeridianColleagueName}");

        await using var db = fixture.Portal.CreateDbContext();
        Assert.Equal(anaId, (await db.Set<SectionAssignment>().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.Section == Section)).AssigneeId);
        Assert.Equal(4, await db.Answers.CountAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode.StartsWith("CTX-") && a.UpdatedBy == anaId));
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
