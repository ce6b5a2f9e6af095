using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// A supplier admin's users page: their own organisation's users only, with every change audited. One host serves the
/// class; each test works on a new organisation of its own (its supplier admin and colleague), so no test sees another's
/// users, invitations or mail.
/// </summary>
public sealed class OrganisationUsersTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private const string Page = "/Organisation/Users";
    private const string MeridianColleague = "colleague@meridian.example";
    private readonly PortalFactory _portal = fixture.Portal;

    /// <summary>A new supplier with its supplier admin (signing in with the demo password); the e-mail domain is the organisation's own.</summary>
    private sealed record Organisation(Guid SupplierId, string Domain, string AdminEmail, Guid AdminId)
    {
        public string Email(string localPart) => $"{localPart}@{Domain}";
    }

    private async Task<Organisation> NewOrganisationAsync()
    {
        var supplierId = await fixture.AddSupplierAsync("Users Test");
        var domain = $"org-{supplierId:N}.example";
        var adminEmail = $"admin@{domain}";
        return new Organisation(supplierId, domain, adminEmail, await _portal.CreateUserAsync(adminEmail, Roles.SupplierAdmin, supplierId));
    }

    [Fact]
    public async Task SupplierAdmin_ListsInvitesPromotesDisablesAndEnables_OwnColleague_AllAudited()
    {
        var org = await NewOrganisationAsync();
        var colleagueEmail = org.Email("colleague");
        var newHire = org.Email("new.hire");
        var colleague = await _portal.CreateUserAsync(colleagueEmail, Roles.SupplierContributor, org.SupplierId);
        await _portal.CreateUserAsync(MeridianColleague, Roles.SupplierContributor, DemoData.MeridianSupplierId);
        using var admin = await PortalSession.SignInAsync(_portal, org.AdminEmail);

        var (response, page) = await admin.GetPageAsync(Page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var emails = page.QuerySelectorAll("[data-testid=member-email]").Select(e => e.TextContent).ToList();
        Assert.Contains(org.AdminEmail, emails);
        Assert.Contains(colleagueEmail, emails);
        Assert.DoesNotContain(MeridianColleague, emails);
        Assert.DoesNotContain(DemoData.SupplierUserEmail, emails);
        Assert.DoesNotContain(DemoData.OtherSupplierUserEmail, emails);
        Assert.Equal("contributor", RowOf(page, colleague).QuerySelector("[data-testid=member-role]")!.TextContent);

        // Invite through the shared invitation use case: the e-mail goes out and the invitation is listed as open.
        using (var invited = await admin.PostFormAsync(Page + "?handler=Invite", new Dictionary<string, string>
        {
            ["Invite.ContactName"] = "Nell Hire",
            ["Invite.Email"] = newHire,
            ["Invite.Role"] = Roles.SupplierContributor,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        }

        Assert.Single(_portal.SentMail(), m => m.To == newHire && m.Text.Contains("/Invitations/Accept?token=", StringComparison.Ordinal));
        (_, page) = await admin.GetPageAsync(Page);
        Assert.Contains(newHire, page.QuerySelector("[data-testid=invitations]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nell Hire", page.QuerySelector("[data-testid=invitations]")!.TextContent, StringComparison.Ordinal);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(org.SupplierId, (await db.Set<Invitation>().SingleAsync(i => i.Email == newHire)).SupplierId);
        }

        // An operator role cannot be given here; nothing changes.
        using (var operatorRole = await admin.PostFormAsync(Page + "?handler=Role", new Dictionary<string, string> { ["userId"] = colleague.ToString(), ["role"] = Roles.Administrator }))
        {
            Assert.Equal(HttpStatusCode.OK, operatorRole.StatusCode);
            Assert.Contains("Choose supplier admin or contributor.", await operatorRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal([Roles.SupplierContributor], await RolesOfAsync(colleague));

        using (var promoted = await admin.PostFormAsync(Page + "?handler=Role", new Dictionary<string, string> { ["userId"] = colleague.ToString(), ["role"] = Roles.SupplierAdmin }))
        {
            Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        }

        Assert.Equal([Roles.SupplierAdmin], await RolesOfAsync(colleague));

        using (var disabled = await admin.PostFormAsync(Page + "?handler=Disable", new Dictionary<string, string> { ["userId"] = colleague.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        }

        (_, page) = await admin.GetPageAsync(Page);
        Assert.Contains("Disabled", RowOf(page, colleague).QuerySelector("[data-testid=member-status]")!.TextContent, StringComparison.Ordinal);
        using (var refused = PortalSession.Anonymous(_portal))
        {
            using var attempt = await refused.SignInAttemptAsync(colleagueEmail, PortalFactory.DemoPassword);
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
            Assert.Contains("disabled by your organisation", await attempt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var enabled = await admin.PostFormAsync(Page + "?handler=Enable", new Dictionary<string, string> { ["userId"] = colleague.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        using (var back = await PortalSession.SignInAsync(_portal, colleagueEmail))
        {
            Assert.Equal(HttpStatusCode.OK, (await back.GetPageAsync(Page)).Response.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var entries = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Subject == $"user:{colleague:D}").OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal(["role.changed", "user.disabled", "user.enabled"], entries.Where(e => e.Kind is "role.changed" or "user.disabled" or "user.enabled").Select(e => e.Kind));
            var roleChange = entries.Single(e => e.Kind == "role.changed");
            Assert.Equal(org.AdminEmail, roleChange.Actor);
            Assert.Equal(org.SupplierId, roleChange.SupplierId);
            Assert.Contains("SupplierContributor -> SupplierAdmin", roleChange.Details, StringComparison.Ordinal);
            Assert.Contains(await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SupplierId == org.SupplierId).Select(e => e.Kind).ToListAsync(), k => k == AuditKinds.InvitationCreated);
        }

        Assert.True((await _portal.Services.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task SupplierAdmin_CannotDemoteOrDisableTheLastActiveAdmin_NorDisableThemselves()
    {
        var org = await NewOrganisationAsync();
        var admin = org.AdminId;
        var colleague = await _portal.CreateUserAsync(org.Email("colleague"), Roles.SupplierAdmin, org.SupplierId);
        using var session = await PortalSession.SignInAsync(_portal, org.AdminEmail);

        using (var self = await session.PostFormAsync(Page + "?handler=Disable", new Dictionary<string, string> { ["userId"] = admin.ToString() }))
        {
            Assert.Contains("You cannot disable your own account.", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // With a second admin, disabling that one is fine; then the first is the only active admin left.
        using (await session.PostFormAsync(Page + "?handler=Disable", new Dictionary<string, string> { ["userId"] = colleague.ToString() }))
        {
        }

        using (var demote = await session.PostFormAsync(Page + "?handler=Role", new Dictionary<string, string> { ["userId"] = admin.ToString(), ["role"] = Roles.SupplierContributor }))
        {
            Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
            Assert.Contains("only active supplier admin", await demote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal([Roles.SupplierAdmin], await RolesOfAsync(admin));
        await using var db = _portal.CreateDbContext();
        Assert.Null((await db.Users.AsNoTracking().SingleAsync(u => u.Id == admin)).LockoutEnd);
        Assert.Equal(SupplierAssure.Portal.Identity.AccountDisabling.DisabledUntil, (await db.Users.AsNoTracking().SingleAsync(u => u.Id == colleague)).LockoutEnd);
        Assert.DoesNotContain(await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Subject == $"user:{admin:D}").Select(e => e.Kind).ToListAsync(),
            k => k is "role.changed" or "user.disabled");
    }

    [Fact]
    public async Task BadInvitation_SaysWhichFieldAndSendsNothing_AndAPasswordResetDoesNotLiftADisabling()
    {
        var org = await NewOrganisationAsync();
        var colleagueEmail = org.Email("colleague");
        var colleague = await _portal.CreateUserAsync(colleagueEmail, Roles.SupplierContributor, org.SupplierId);
        var mailBefore = _portal.SentMail().Count;
        int invitationsBefore;
        await using (var db = _portal.CreateDbContext())
        {
            invitationsBefore = await db.Set<Invitation>().CountAsync();
        }

        using var admin = await PortalSession.SignInAsync(_portal, org.AdminEmail);
        using (var bad = await admin.PostFormAsync(Page + "?handler=Invite", new Dictionary<string, string> { ["Invite.Email"] = "not an address", ["Invite.Role"] = Roles.Auditor }))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var page = PortalSession.Parse(await bad.Content.ReadAsStringAsync());
            Assert.Equal("Enter a valid e-mail address.", page.QuerySelector("#invite-email-error")!.TextContent);
            Assert.Equal("Choose supplier admin or contributor.", page.QuerySelector("#invite-role-error")!.TextContent);
        }

        Assert.Equal(mailBefore, _portal.SentMail().Count);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(invitationsBefore, await db.Set<Invitation>().CountAsync());
            Assert.False(await db.Set<Invitation>().AnyAsync(i => i.SupplierId == org.SupplierId));
        }

        using (var disabled = await admin.PostFormAsync(Page + "?handler=Disable", new Dictionary<string, string> { ["userId"] = colleague.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        }

        // The disabled colleague resets their password from the e-mailed link: the password changes, the account stays disabled.
        using var colleagueSession = PortalSession.Anonymous(_portal);
        using (await colleagueSession.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = colleagueEmail }))
        {
        }

        var mail = Assert.Single(_portal.SentMail(), m => m.To == colleagueEmail);
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(mail.Text, @"http://\S+/Account/ResetPassword\?\S+").Value);
        using (var reset = await colleagueSession.PostFormAsync(link.PathAndQuery, new Dictionary<string, string> { ["Password"] = "Brand-New-Passw0rd" }))
        {
            Assert.Contains("Your password is changed.", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var attempt = await PortalSession.Anonymous(_portal).SignInAttemptAsync(colleagueEmail, "Brand-New-Passw0rd");
        Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        Assert.Contains("disabled by your organisation", await attempt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherOrganisationsAdmin_GetsNotFound_AndNothingChanges()
    {
        var org = await NewOrganisationAsync();
        var otherColleague = await _portal.CreateUserAsync(org.Email("colleague"), Roles.SupplierContributor, org.SupplierId);
        var caldera = await UserIdAsync(DemoData.OtherSupplierUserEmail);
        var procurement = await UserIdAsync(DemoData.ProcurementUserEmail);
        var before = await SnapshotAsync();
        using var meridian = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);

        var (_, page) = await meridian.GetPageAsync(Page);
        Assert.DoesNotContain(DemoData.OtherSupplierUserEmail, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(org.AdminEmail, page.Body!.TextContent, StringComparison.Ordinal);
        foreach (var target in new[] { org.AdminId, otherColleague, caldera, procurement, Guid.NewGuid() })
        {
            foreach (var (handler, fields) in new[]
            {
                ("Role", new Dictionary<string, string> { ["userId"] = target.ToString(), ["role"] = Roles.SupplierContributor }),
                ("Role", new Dictionary<string, string> { ["userId"] = target.ToString(), ["role"] = Roles.SupplierAdmin }),
                ("Disable", new Dictionary<string, string> { ["userId"] = target.ToString() }),
                ("Enable", new Dictionary<string, string> { ["userId"] = target.ToString() }),
            })
            {
                using var response = await meridian.PostFormAsync($"{Page}?handler={handler}", fields);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{handler} {target}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(Roles.SupplierContributor)]
    [InlineData(Roles.ProcurementManager)]
    [InlineData(Roles.Administrator)]
    public async Task NonSupplierAdmins_AreForbidden_AndNothingChanges(string role)
    {
        var org = await NewOrganisationAsync();
        var orgAdmin = org.AdminId;
        var orgColleague = await _portal.CreateUserAsync(org.Email("colleague"), Roles.SupplierContributor, org.SupplierId);
        var email = $"{role.ToLowerInvariant()}@roles.example";
        await _portal.CreateUserAsync(email, role, role == Roles.SupplierContributor ? org.SupplierId : null);
        var mailBefore = _portal.SentMail().Count;
        var before = await SnapshotAsync();
        using var session = await PortalSession.SignInAsync(_portal, email);
        var token = await session.GetTokenAsync("/");

        using (var get = await session.Client.GetAsync(new Uri(Page, UriKind.Relative)))
        {
            AssertForbidden(get);
        }

        foreach (var (handler, target) in new[] { ("Role", orgColleague), ("Disable", orgColleague), ("Disable", orgAdmin), ("Invite", Guid.Empty) })
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["userId"] = target.ToString(), ["role"] = Roles.SupplierAdmin,
                ["Invite.Email"] = org.Email("planted"), ["Invite.Role"] = Roles.SupplierAdmin,
            });
            using var response = await session.Client.PostAsync(new Uri($"{Page}?handler={handler}", UriKind.Relative), content);
            AssertForbidden(response);
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(mailBefore, _portal.SentMail().Count);
    }

    private static void AssertForbidden(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement RowOf(AngleSharp.Html.Dom.IHtmlDocument page, Guid userId) =>
        page.QuerySelector($"tr[data-user-id='{userId}']") ?? throw new InvalidOperationException($"No row for {userId}.");

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = _portal.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<IList<string>> RolesOfAsync(Guid userId)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(userId.ToString()))!);
    }

    /// <summary>Every user's roles, lockout and stamp, and the invitations: what an attack on the page could change.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = _portal.CreateDbContext();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new { u.Email, u.LockoutEnd, u.SecurityStamp, Roles = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).ToList() })
            .ToListAsync();
        var invitations = await db.Set<Invitation>().CountAsync();
        return string.Join('|', users.Select(u => $"{u.Email}:{u.LockoutEnd}:{u.SecurityStamp}:{string.Join(',', u.Roles.Order())}")) + $"|invitations={invitations}";
    }
}
