using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// The whole life of an invited supplier contact in Chromium: procurement invites by e-mail through the Portal's
/// own page, the contact opens the e-mailed link (read from the Portal's pickup folder), creates the account, sets up
/// an authenticator (the code is computed here from the shared key the page shows, as a phone app would), signs out,
/// and signs in again with password and code.
/// </summary>
public sealed partial class InvitedSupplierEnrolsMfaTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "Harbour-Gate-2026";

    [Fact]
    public async Task InvitedContact_AcceptsEnrolsSignsOutAndBackInWithCode()
    {
        var email = $"contact-{Guid.NewGuid():N}@caldera.example";
        var errors = new List<string>();

        // Procurement sends the invitation.
        await using (var procurementContext = await NewContextAsync())
        {
            var procurement = await procurementContext.NewPageAsync();
            WatchForErrors(procurement, errors);
            await SignInAsync(procurement, DemoData.ProcurementUserEmail, PortalFactory.DemoPassword);
            await procurement.GotoAsync("/Invitations/Create");
            await procurement.GetByLabel("Supplier organisation").SelectOptionAsync(new SelectOptionValue { Value = DemoData.CalderaSupplierId.ToString() });
            await procurement.GetByLabel("Contact's name").FillAsync("Ines Calder");
            await procurement.GetByLabel("Contact's e-mail address").FillAsync(email);
            await procurement.GetByLabel("Role").SelectOptionAsync("SupplierContributor");
            await procurement.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
            await Assertions.Expect(procurement.GetByTestId("notice")).ToContainTextAsync(email);
        }

        var message = Assert.Single(fixture.Portal.SentMail(), m => m.To == email);
        var link = InvitationLink().Match(message.Text);
        Assert.True(link.Success, "No acceptance link in: " + message.Text);

        // The contact, in a browser of their own, accepts and is taken to the two-step set-up.
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        WatchForErrors(page, errors);
        await page.GotoAsync(link.Value);
        await Assertions.Expect(page.GetByTestId("invited-email")).ToHaveTextAsync(email);
        // The name procurement gave is offered.
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Ines Calder");
        await page.GetByLabel("Password", new() { Exact = false }).FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Mfa"));
        await Assertions.Expect(page.GetByTestId("mfa-state")).ToHaveTextAsync("Not set up.");

        var sharedKey = (await page.GetByTestId("shared-key").TextContentAsync())!;
        await page.GetByLabel("Code").FillAsync(Totp.Code(sharedKey, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("mfa-state")).ToContainTextAsync("An authenticator app is set up.");

        // Out, and back in: the password alone is not enough, the authenticator's code completes it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        await SignInAsync(page, email, NewPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/LoginWith2fa"));
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        await page.GetByLabel("Code").FillAsync(Totp.Code(sharedKey, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Ines Calder");
        await page.GotoAsync("/Account/Mfa");
        await Assertions.Expect(page.GetByTestId("mfa-state")).ToContainTextAsync("An authenticator app is set up.");

        // The link was single-use: opening it again creates nothing and says why.
        await page.GotoAsync(link.Value);
        await Assertions.Expect(page.GetByTestId("invitation-problem")).ToBeVisibleAsync();
        Assert.DoesNotContain(errors, e => !e.Contains("favicon", StringComparison.Ordinal));
    }

    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });

    /// <summary>The sign-in form, whether it asks for the e-mail first (then the password) or both at once.</summary>
    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Continue" });
        if (await next.IsVisibleAsync())
        {
            await next.ClickAsync();
        }

        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private static void WatchForErrors(IPage page, List<string> errors)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Add($"{response.Status} {response.Url}");
            }
        };
    }

    [GeneratedRegex(@"https?://\S+/Invitations/Accept\?token=[A-Za-z0-9_\-%]+")]
    private static partial Regex InvitationLink();
}
