using System.Net;
using System.Text.RegularExpressions;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

public sealed partial class PasswordResetTests : IDisposable
{
    private const string NewPassword = "Brand-New-Passw0rd";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task ResetLink_FromThePickupFolder_ChangesThePasswordOnce()
    {
        using var session = PortalSession.Anonymous(_portal);
        using var asked = await session.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = DemoData.SupplierUserEmail });
        Assert.Contains("If that address has an account", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mail = Assert.Single(_portal.SentMail());
        Assert.Equal(DemoData.SupplierUserEmail, mail.To);
        var link = new Uri(LinkPattern().Match(mail.Text).Value);

        using var reset = await session.PostFormAsync(link.PathAndQuery, new Dictionary<string, string> { ["Password"] = NewPassword });
        Assert.Contains("Your password is changed.", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var oldPassword = await PortalSession.Anonymous(_portal).SignInAttemptAsync(DemoData.SupplierUserEmail, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        using var newSession = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail, NewPassword);

        using var reused = await session.PostFormAsync(link.PathAndQuery, new Dictionary<string, string> { ["Password"] = "Another-Passw0rd1" });
        Assert.Contains("This reset link is not valid", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-base64-!!")]
    [InlineData("Q2ZESjhBQUFBQUFBQUFBQUFBQUFBQUFB")]
    [InlineData("")]
    public async Task ResetLink_TamperedOrMissingToken_ShowsAClearMessage(string token)
    {
        using var session = PortalSession.Anonymous(_portal);
        var path = $"/Account/ResetPassword?email={Uri.EscapeDataString(DemoData.SupplierUserEmail)}&token={Uri.EscapeDataString(token)}";
        using var reset = await session.PostFormAsync(path, new Dictionary<string, string> { ["Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("This reset link is not valid", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var stillOld = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
    }

    [Fact]
    public async Task ForgotPassword_UnknownAddress_AnswersTheSameAndSendsNothing()
    {
        using var session = PortalSession.Anonymous(_portal);
        using var asked = await session.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "nobody@nowhere.example" });
        Assert.Contains("If that address has an account", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_portal.SentMail());
    }

    [GeneratedRegex(@"http://\S+/Account/ResetPassword\?\S+")]
    private static partial Regex LinkPattern();

    public void Dispose() => _portal.Dispose();
}
