using System.Net;
using System.Text.RegularExpressions;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Password reset by e-mailed link. One host serves the class: each test resets the password of a Meridian user of
/// its own (not the demo user) and looks only at the mail sent during the test.
/// </summary>
public sealed partial class PasswordResetTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private const string NewPassword = "Brand-New-Passw0rd";
    private readonly PortalFactory _portal = fixture.Portal;
    private readonly string _email = $"reset.{Guid.NewGuid():N}@meridian.example";

    private Task<Guid> OwnUserAsync() => _portal.CreateUserAsync(_email, SupplierAssure.Core.Identity.Roles.SupplierContributor, DemoData.MeridianSupplierId);

    [Fact]
    public async Task ResetLink_FromThePickupFolder_ChangesThePasswordOnce()
    {
        await OwnUserAsync();
        var mailBefore = _portal.SentMail().Count;
        using var session = PortalSession.Anonymous(_portal);
        using var asked = await session.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = _email });
        Assert.Contains("If that address has an account", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(mailBefore + 1, _portal.SentMail().Count);
        var mail = Assert.Single(_portal.SentMail(), m => m.To == _email);
        var link = new Uri(LinkPattern().Match(mail.Text).Value);

        using var reset = await session.PostFormAsync(link.PathAndQuery, new Dictionary<string, string> { ["Password"] = NewPassword });
        Assert.Contains("Your password is changed.", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var oldPassword = await PortalSession.Anonymous(_portal).SignInAttemptAsync(_email, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        using var newSession = await PortalSession.SignInAsync(_portal, _email, NewPassword);

        using var reused = await session.PostFormAsync(link.PathAndQuery, new Dictionary<string, string> { ["Password"] = "Another-Passw0rd1" });
        Assert.Contains("This reset link is not valid", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-base64-!!")]
    [InlineData("Q2ZESjhBQUFBQUFBQUFBQUFBQUFBQUFB")]
    [InlineData("")]
    public async Task ResetLink_TamperedOrMissingToken_ShowsAClearMessage(string token)
    {
        await OwnUserAsync();
        using var session = PortalSession.Anonymous(_portal);
        var path = $"/Account/ResetPassword?email={Uri.EscapeDataString(_email)}&token={Uri.EscapeDataString(token)}";
        using var reset = await session.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("This reset link is not valid", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var stillOld = await PortalSession.SignInAsync(_portal, _email);
    }

    [Fact]
    public async Task ForgotPassword_UnknownAddress_AnswersTheSameAndSendsNothing()
    {
        var mailBefore = _portal.SentMail().Count;
        using var session = PortalSession.Anonymous(_portal);
        using var asked = await session.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "nobody@nowhere.example" });
        Assert.Contains("If that address has an account", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(mailBefore, _portal.SentMail().Count);
    }

    [GeneratedRegex(@"http://\S+/Account/ResetPassword\?\S+")]
    private static partial Regex LinkPattern();
}
