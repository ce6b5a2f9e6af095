using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Issue 7 asks for the supplier pages to work down to a phone's width. On a 360 × 740 viewport (a common small
/// Android size) each supplier page must fit: no sideways scrolling of the page as a whole (wide tables may scroll
/// inside their own box), and the main navigation reachable. The answering pages are checked while Meridian's
/// questionnaire is open; then it is answered (two key controls with "no"), submitted and scored, its corrective
/// actions opened, and the after-review pages are checked: the result, the score breakdown with its findings, home
/// with the corrective actions, and a corrective action's plan form.
/// </summary>
public sealed class PhoneWidthTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SupplierPages_AtPhoneWidth_FitWithoutSidewaysScrolling()
    {
        var id = DemoData.MeridianAssessmentId;
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(DemoData.SupplierUserEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeAttachedAsync();

        var tooWide = new List<string>();
        await CheckAsync(page, tooWide, "/", $"/Assessments/{id}", "/Evidence", "/Sharing", "/Sharing/Access", "/Inbox", "/Organisation/Users");

        // After scoring: the questionnaire submitted and scored with two nonconformities, their corrective actions open.
        Guid userId;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            userId = await db.Users.Where(u => u.Email == DemoData.SupplierUserEmail).Select(u => u.Id).SingleAsync();
        }

        var cases = await ScoredCycle.ScoreWithNonconformitiesAsync(fixture.Portal, id, userId, keyControlsMissed: 2);
        Assert.NotEmpty(cases);

        // Each page is also checked for what it is about, so a page that lost its content cannot pass by being narrow.
        await CheckAsync(page, tooWide, "/");
        await Assertions.Expect(page.GetByTestId("action-item")).ToHaveCountAsync(cases.Count);
        await CheckAsync(page, tooWide, $"/Assessments/{id}");
        await Assertions.Expect(page.GetByTestId("overall-score")).ToBeVisibleAsync();
        await CheckAsync(page, tooWide, $"/Assessments/{id}/Score");
        await Assertions.Expect(page.GetByTestId("findings").Locator("li")).Not.ToHaveCountAsync(0);
        // A clause opened shows its table of the answers that cost points.
        var clause = page.Locator("details[data-testid^='clauses-']").First;
        await clause.Locator("summary").TapAsync();
        await Assertions.Expect(clause.Locator("table")).ToBeVisibleAsync();
        var (documentWidth, viewport, widest) = await WidthsAsync(page);
        if (documentWidth > viewport)
        {
            tooWide.Add($"/Assessments/{id}/Score with a clause open: document {documentWidth}px in a {viewport}px viewport; widest element {widest}");
        }

        await CheckAsync(page, tooWide, $"/Remediation/{cases[0].Id}");
        await Assertions.Expect(page.GetByTestId("capa-form")).ToBeVisibleAsync();

        Assert.True(tooWide.Count == 0, string.Join(Environment.NewLine, tooWide));
    }

    private static async Task CheckAsync(IPage page, List<string> tooWide, params string[] paths)
    {
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
            // The page as a whole: the document must not be wider than the viewport.
            var (documentWidth, viewport, widest) = await WidthsAsync(page);
            if (documentWidth > viewport)
            {
                tooWide.Add($"{path}: document {documentWidth}px in a {viewport}px viewport; widest element {widest}");
            }
        }
    }

    // The document's scroll width, the viewport's width, and (to say what to fix) the element reaching furthest right
    // that is not inside a box that scrolls on its own.
    private static async Task<(int Document, int Viewport, string Widest)> WidthsAsync(IPage page)
    {
        var result = await page.EvaluateAsync<string[]>("""
            () => {
              const viewport = document.documentElement.clientWidth;
              const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
              let widest = '', right = 0;
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > right && !scrolls(el)) { right = r.right; widest = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' (' + Math.round(r.right) + 'px)'; }
              }
              return [String(document.documentElement.scrollWidth), String(viewport), widest];
            }
            """);
        return (int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(result[1], System.Globalization.CultureInfo.InvariantCulture), result[2]);
    }
}
