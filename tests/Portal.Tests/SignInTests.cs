using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed class SignInTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Home_Anonymous_RedirectsToSignIn()
    {
        using var session = PortalSession.Anonymous(portal);
        var (response, _) = await session.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoSupplier_SeesOwnQuestionnaireOnly()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var (response, page) = await session.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var links = page.QuerySelectorAll("[data-testid=assessment-link]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/Assessments/{DemoData.MeridianAssessmentId}"], links);
        Assert.Contains("Meridian", page.QuerySelector("[data-testid=signed-in-as]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_Procurement_SeesThePortfolio()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.ProcurementUserEmail);
        var (_, page) = await session.GetPageAsync("/");
        await using var db = portal.CreateDbContext();
        Assert.Equal(await db.Suppliers.CountAsync(), page.QuerySelectorAll("[data-testid=assurance-status]").Length);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsOneGenericMessage()
    {
        using var session = PortalSession.Anonymous(portal);
        using var response = await session.SignInAttemptAsync(DemoData.ProcurementUserEmail, "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("e-mail address or password is not right", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);

        using var unknown = await session.SignInAttemptAsync("nobody@example.com", "not-the-password");
        var unknownPage = PortalSession.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal(page.QuerySelector("[role=alert]")!.TextContent, unknownPage.QuerySelector("[role=alert]")!.TextContent);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccount()
    {
        using var session = PortalSession.Anonymous(portal);
        for (var i = 0; i < 5; i++)
        {
            (await session.SignInAttemptAsync(DemoData.OtherSupplierUserEmail, "wrong-password-" + i)).Dispose();
        }

        using var response = await session.SignInAttemptAsync(DemoData.OtherSupplierUserEmail, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AbsoluteReturnUrl_IsNotFollowed()
    {
        using var session = PortalSession.Anonymous(portal);
        using var response = await session.SignInAttemptAsync(DemoData.ProcurementUserEmail, PortalFactory.DemoPassword, "https://evil.example/phish");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRejected()
    {
        using var session = PortalSession.Anonymous(portal);
        using var response = await session.Client.PostAsync(new Uri("/Account/Login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = DemoData.ProcurementUserEmail,
            ["Input.Password"] = PortalFactory.DemoPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_EmptyForm_ShowsFieldErrors()
    {
        using var session = PortalSession.Anonymous(portal);
        using var response = await session.SignInAttemptAsync(string.Empty, string.Empty);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter your e-mail address.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
    }
}
