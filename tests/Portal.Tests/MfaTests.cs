using System.Net;
using AngleSharp.Html.Dom;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Second factor enrolment, sign-in and lockout. One host (second factor required for operator staff) serves the
/// class: each test enrols, locks or signs in an account of its own, never a demo user another test signs in with.
/// </summary>
public sealed class MfaTests(MfaTests.Fixture fixture) : IClassFixture<MfaTests.Fixture>
{
    private readonly PortalFactory _portal = fixture.Portal;
    private readonly string _email = $"mfa.{Guid.NewGuid():N}@meridian.example";

    public sealed class Fixture : IDisposable
    {
        // Note: the class signs in (and answers the second step) more than the 20 posts a minute one client address
        // may make; the limit itself is tested by HardeningTests on a host of its own.
        public PortalFactory Portal { get; } = new PortalFactory()
            .With("Mfa:RequiredForOperatorStaff", "true")
            .With("RateLimits:SignInPerMinute", "1000");

        public void Dispose() => Portal.Dispose();
    }

    /// <summary>A supplier admin of Meridian of this test's own, signing in with the demo password.</summary>
    private Task<Guid> OwnSupplierUserAsync() => _portal.CreateUserAsync(_email, Roles.SupplierAdmin, DemoData.MeridianSupplierId);

    [Fact]
    public async Task Enrol_ThenSignIn_AsksForTheCodeAndTakesEachRecoveryCodeOnce()
    {
        await OwnSupplierUserAsync();
        using var session = await PortalSession.SignInAsync(_portal, _email);
        var (_, page) = await session.GetPageAsync("/Account/Mfa");
        var key = page.QuerySelector("[data-testid=shared-key]")!.TextContent;
        var uri = page.QuerySelector("[data-testid=otpauth-uri]")!.GetAttribute("href")!;
        Assert.StartsWith($"otpauth://totp/SupplierAssure:{_email.Replace("@", "%40", StringComparison.Ordinal)}?secret=", uri, StringComparison.Ordinal);
        Assert.Contains(key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), uri, StringComparison.Ordinal);

        using var wrong = await session.PostFormAsync("/Account/Mfa?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = WrongCode(key) });
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var enabled = await session.PostFormAsync("/Account/Mfa?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var codes = PortalSession.Parse(await enabled.Content.ReadAsStringAsync()).QuerySelectorAll("[data-testid=recovery-codes] code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, codes.Distinct().Count());

        // Password alone no longer signs in: the second step is asked for.
        using var second = PortalSession.Anonymous(_portal);
        using var passwordOnly = await second.SignInAttemptAsync(_email, PortalFactory.DemoPassword);
        Assert.StartsWith("/Account/LoginWith2fa", passwordOnly.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using var withCode = await second.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, withCode.StatusCode);
        Assert.Equal("/", withCode.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        Assert.True(await SignInWithRecoveryCodeAsync(codes[3]), "a fresh recovery code signs in");
        Assert.False(await SignInWithRecoveryCodeAsync(codes[3]), "a used recovery code does not");
    }

    [Fact]
    public async Task OperatorStaff_NotEnrolled_ReachOnlyTheEnrolmentPageUntilTheyEnrol()
    {
        var procurement = $"procurement.{Guid.NewGuid():N}@operator.example";
        await _portal.CreateUserAsync(procurement, Roles.ProcurementManager);
        using var session = await PortalSession.SignInAsync(_portal, procurement);
        using var home = await session.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/Account/Mfa?required=true", home.Headers.Location!.OriginalString);
        using var evidence = await session.Client.GetAsync(new Uri($"/evidence/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal("/Account/Mfa?required=true", evidence.Headers.Location!.OriginalString);

        var (_, page) = await session.GetPageAsync("/Account/Mfa?required=true");
        Assert.NotNull(page.QuerySelector("[data-testid=mfa-required]"));
        var key = page.QuerySelector("[data-testid=shared-key]")!.TextContent;
        using var enabled = await session.PostFormAsync("/Account/Mfa?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);

        // The refreshed cookie says "enrolled": the portfolio opens, and the factor cannot be switched off.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        var (_, manage) = await session.GetPageAsync("/Account/Mfa");
        Assert.Null(manage.QuerySelector("form[action*=Disable]"));
        using var disable = await session.PostFormAsync("/Account/Mfa?handler=Disable", new Dictionary<string, string>());
        Assert.Contains("Operator staff must keep a second factor.", await disable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupplierUser_NotEnrolled_IsNotHeldAtEnrolment()
    {
        await OwnSupplierUserAsync();
        using var session = await PortalSession.SignInAsync(_portal, _email);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task OperatorStaff_InDemoModeWithoutTheSetting_AreNotHeld()
    {
        using var demo = new PortalFactory();
        using var session = await PortalSession.SignInAsync(demo, DemoData.ProcurementUserEmail);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task WrongPasswords_LockTheAccountEvenForTheRightPassword()
    {
        await OwnSupplierUserAsync();
        using var session = PortalSession.Anonymous(_portal);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await session.SignInAttemptAsync(_email, "Not-The-Passw0rd");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await session.SignInAttemptAsync(_email, PortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked after too many failed attempts", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongRecoveryCodes_CountTowardsLockout()
    {
        await OwnSupplierUserAsync();
        using var session = await PortalSession.SignInAsync(_portal, _email);
        var (_, page) = await session.GetPageAsync("/Account/Mfa");
        var key = page.QuerySelector("[data-testid=shared-key]")!.TextContent;
        (await session.PostFormAsync("/Account/Mfa?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) })).Dispose();

        using var attacker = PortalSession.Anonymous(_portal);
        (await attacker.SignInAttemptAsync(_email, PortalFactory.DemoPassword)).Dispose();
        string last = string.Empty;
        for (var i = 0; i < 5; i++)
        {
            using var guess = await attacker.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Input.Code"] = $"ABCDE-{i:D5}" });
            last = await guess.Content.ReadAsStringAsync();
        }

        Assert.Contains("locked after too many failed attempts", last, StringComparison.Ordinal);
    }

    private async Task<bool> SignInWithRecoveryCodeAsync(string code)
    {
        using var session = PortalSession.Anonymous(_portal);
        (await session.SignInAttemptAsync(_email, PortalFactory.DemoPassword)).Dispose();
        using var response = await session.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Input.Code"] = code });
        return response.StatusCode == HttpStatusCode.Redirect;
    }

    private static string WrongCode(string key)
    {
        // Any six digits that are none of the codes the server accepts around now.
        var accepted = Enumerable.Range(-3, 7).Select(step => Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(step * 30))).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !accepted.Contains(c));
    }
}
