using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Invitations by e-mail link. One host serves the class: each test invites an address of its own into Caldera and
/// looks only at that address's invitation and account, and at the invitations and mail added during the test.
/// </summary>
public sealed partial class InvitationTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private const string Password = "Invited-Passw0rd";
    private readonly PortalFactory _portal = fixture.Portal;
    private readonly string _invitee = $"new.contact.{Guid.NewGuid():N}@caldera.example";

    [Fact]
    public async Task Accept_FreshLink_CreatesAContributorInTheInvitingOrganisationOnce()
    {
        var link = await InviteAsync(DemoData.CalderaSupplierId);
        await using (var db = _portal.CreateDbContext())
        {
            var stored = await db.Set<Invitation>().SingleAsync(i => i.Email == _invitee);
            Assert.DoesNotContain(stored.TokenHash, link.Query, StringComparison.Ordinal);
            Assert.Equal(InvitationTokens.Hash(Uri.UnescapeDataString(link.Query.Split("token=")[1])), stored.TokenHash);
        }

        using var invitee = PortalSession.Anonymous(_portal);
        var (_, page) = await invitee.GetPageAsync(link.PathAndQuery);
        Assert.Equal(_invitee, page.QuerySelector("[data-testid=invited-email]")!.TextContent);
        Assert.Equal("Noor Haddad", page.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        using var accepted = await AcceptAsync(invitee, link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/Account/Mfa", accepted.Headers.Location!.OriginalString);

        var user = await FindUserAsync();
        Assert.NotNull(user);
        Assert.Equal(DemoData.CalderaSupplierId, user.SupplierId);
        Assert.True(user.EmailConfirmed);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            Assert.Equal([Roles.SupplierContributor], await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().GetRolesAsync(user));
        }

        using var signedIn = await PortalSession.SignInAsync(_portal, _invitee, Password);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetPageAsync($"/Assessments/{DemoData.CalderaAssessmentId}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await signedIn.GetPageAsync($"/Assessments/{DemoData.MeridianAssessmentId}")).Response.StatusCode);

        using var again = PortalSession.Anonymous(_portal);
        var (_, reused) = await again.GetPageAsync(link.PathAndQuery);
        Assert.Contains("already been used", reused.QuerySelector("[data-testid=invitation-problem]")!.TextContent, StringComparison.Ordinal);
        using var reusedPost = await AcceptAsync(again, link, tokenFrom: "/Account/Login");
        Assert.Contains("already been used", await reusedPost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_ExpiredLink_ShowsWhenItExpiredAndCreatesNoAccount()
    {
        var link = await InviteAsync(DemoData.CalderaSupplierId);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Set<Invitation>().Where(i => i.Email == _invitee).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        using var invitee = PortalSession.Anonymous(_portal);
        var (_, page) = await invitee.GetPageAsync(link.PathAndQuery);
        Assert.Contains("This invitation expired on", page.QuerySelector("[data-testid=invitation-problem]")!.TextContent, StringComparison.Ordinal);
        using var posted = await AcceptAsync(invitee, link, tokenFrom: "/Account/Login");
        Assert.Contains("This invitation expired on", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindUserAsync());
    }

    [Theory]
    [InlineData("flip-last")]
    [InlineData("empty")]
    [InlineData("too-long")]
    public async Task Accept_TamperedLink_IsNotValidAndCreatesNoAccount(string tampering)
    {
        var link = await InviteAsync(DemoData.CalderaSupplierId);
        var token = Uri.UnescapeDataString(link.Query.Split("token=")[1]);
        var bad = tampering switch
        {
            "flip-last" => token[..^1] + (token[^1] == 'A' ? 'B' : 'A'),
            "empty" => string.Empty,
            _ => token + new string('x', 200),
        };
        var tampered = new Uri($"/Invitations/Accept?token={Uri.EscapeDataString(bad)}", UriKind.Relative);
        using var invitee = PortalSession.Anonymous(_portal);
        var (response, page) = await invitee.GetPageAsync(tampered.OriginalString);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This invitation link is not valid", page.QuerySelector("[data-testid=invitation-problem]")!.TextContent, StringComparison.Ordinal);
        using var posted = await AcceptAsync(invitee, new Uri("http://localhost" + tampered.OriginalString), tokenFrom: "/Account/Login");
        Assert.Contains("This invitation link is not valid", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindUserAsync());
    }

    [Fact]
    public async Task Accept_WeakPasswordOrControlCharacterInTheName_SaysWhyAndLeavesTheLinkUsable()
    {
        var link = await InviteAsync(DemoData.CalderaSupplierId);
        using var invitee = PortalSession.Anonymous(_portal);
        // The name becomes the account's display name: the same rule as the inviter's contact name.
        using var tabbed = await AcceptAsync(invitee, link, displayName: "Noor\tHaddad");
        Assert.Equal(HttpStatusCode.OK, tabbed.StatusCode);
        Assert.Contains("Remove the control character", await tabbed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindUserAsync());
        using var weak = await AcceptAsync(invitee, link, password: "alllowercaseletters");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("Passwords must have at least one digit", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindUserAsync());
        using var retry = await AcceptAsync(invitee, link);
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
    }

    [Fact]
    public async Task Create_SupplierAdminForAnotherOrganisation_IsRefusedAndNothingSent()
    {
        var mailBefore = _portal.SentMail().Count;
        int invitationsBefore;
        await using (var before = _portal.CreateDbContext())
        {
            invitationsBefore = await before.Set<Invitation>().CountAsync();
        }

        using var admin = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var response = await admin.PostFormAsync("/Invitations/Create", Fields(DemoData.CalderaSupplierId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose a supplier organisation.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Set<Invitation>().AnyAsync(i => i.Email == _invitee));
        Assert.Equal(invitationsBefore, await db.Set<Invitation>().CountAsync());
        Assert.Equal(mailBefore, _portal.SentMail().Count);
    }

    [Fact]
    public async Task Create_ByContributor_IsForbidden()
    {
        await _portal.CreateUserAsync("contributor@meridian.example", Roles.SupplierContributor, DemoData.MeridianSupplierId);
        using var contributor = await PortalSession.SignInAsync(_portal, "contributor@meridian.example");
        using var response = await contributor.Client.GetAsync(new Uri("/Invitations/Create", UriKind.Relative));
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<Uri> InviteAsync(Guid supplierId)
    {
        using var procurement = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await procurement.PostFormAsync("/Invitations/Create", Fields(supplierId));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mail = Assert.Single(_portal.SentMail(), m => m.To == _invitee);
        return new Uri(LinkPattern().Match(mail.Text).Value);
    }

    private Dictionary<string, string> Fields(Guid supplierId) => new()
    {
        ["Input.SupplierId"] = supplierId.ToString(),
        ["Input.ContactName"] = "Noor Haddad",
        ["Input.Email"] = _invitee,
        ["Input.Role"] = Roles.SupplierContributor,
    };

    private static Task<HttpResponseMessage> AcceptAsync(PortalSession session, Uri link, string password = Password, string? tokenFrom = null, string displayName = "Noor Haddad") =>
        session.PostFormAsync(link.PathAndQuery, new Dictionary<string, string>
        {
            ["DisplayName"] = displayName,
            ["Password"] = password,
        }, tokenFrom ?? link.PathAndQuery);

    private async Task<ApplicationUser?> FindUserAsync()
    {
        await using var db = _portal.CreateDbContext();
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == _invitee);
    }

    [GeneratedRegex(@"http://\S+/Invitations/Accept\?token=\S+")]
    private static partial Regex LinkPattern();
}
