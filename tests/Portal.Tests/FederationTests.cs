using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Federated sign-in end to end: two upstream OpenID providers served by WireMock (discovery, JWKS and token
/// endpoints, id_tokens signed with RSA keys generated here) and the Portal's real OpenIddict client, sign-in page
/// and callback. Meridian's demo domain claim routes meridian.example to the "meridian" provider.
/// </summary>
public sealed class FederationTests(FederationTests.UpstreamFixture upstream) : IClassFixture<FederationTests.UpstreamFixture>
{
    private const string MeridianClientId = "supplierassure-portal";

    private PortalFactory Portal => upstream.Portal;

    [Fact]
    public async Task Continue_EmailInRoutedDomain_RedirectsToProviderWithPkceAndState()
    {
        using var session = PortalSession.Anonymous(Portal);

        var authorize = await StartWithEmailAsync(session, "routing.check@meridian.example");

        Assert.Equal(upstream.Issuer("meridian") + "/authorize", authorize.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal(MeridianClientId, query["client_id"].ToString());
        Assert.Equal("http://localhost/signin-oidc/meridian", query["redirect_uri"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Contains("openid", query["scope"].ToString().Split(' '));
        Assert.Contains("email", query["scope"].ToString().Split(' '));
        Assert.Equal("routing.check@meridian.example", query["login_hint"].ToString());
    }

    [Fact]
    public async Task Continue_EmailInUnroutedDomain_ShowsPasswordForm()
    {
        using var session = PortalSession.Anonymous(Portal);

        using var response = await session.PostFormAsync("/Account/Login?handler=Continue", new Dictionary<string, string> { ["Input.Email"] = DemoData.ProcurementUserEmail }, tokenFrom: "/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("[data-testid=password-step] input[name='Input.Password']"));
        Assert.Equal(DemoData.ProcurementUserEmail, page.QuerySelector("[data-testid=password-step] input[name='Input.Email']")!.GetAttribute("value"));
    }

    [Fact]
    public async Task PasswordPost_EmailInRoutedDomain_GoesToProviderWithoutCheckingPassword()
    {
        using var session = PortalSession.Anonymous(Portal);

        using var response = await session.SignInAttemptAsync(DemoData.SupplierUserEmail, PortalFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(upstream.Issuer("meridian") + "/authorize?", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ClaimedDomain_ProvisionsContributorAndSignsIn()
    {
        using var session = PortalSession.Anonymous(Portal);
        var email = $"eli.{Guid.NewGuid():N}@meridian.example";
        var authorize = await StartWithEmailAsync(session, email);
        var subject = "meridian-" + Guid.NewGuid().ToString("N");

        using var response = await upstream.CompleteAsync(session, "meridian", authorize, new IdToken(subject, email));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var user = await AssertAccountAsync(email, DemoData.MeridianSupplierId, "meridian", subject);
        await AssertSignedInAsync(session, user.DisplayName);
        await AssertAuditedAsync(FederationAuditKind.Provisioned, user.Id);

        // PKCE: the token request carried the verifier whose S256 hash the authorization request announced.
        var verifier = upstream.TokenRequestField("meridian", subject, "code_verifier");
        var challenge = QueryHelpers.ParseQuery(authorize.Query)["code_challenge"].ToString();
        Assert.Equal(challenge, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    [Fact]
    public async Task Callback_OpenInvitation_ProvisionsLeastPrivilegedRoleAndConsumesIt()
    {
        var email = $"dana.{Guid.NewGuid():N}@invited.example";
        var invitationId = await InviteAsync(email, DemoData.MeridianSupplierId, Roles.SupplierAdmin);
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithProviderAsync(session, "meridian");
        var subject = "meridian-" + Guid.NewGuid().ToString("N");

        using var response = await upstream.CompleteAsync(session, "meridian", authorize, new IdToken(subject, email, Name: "Dana Invited"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var user = await AssertAccountAsync(email, DemoData.MeridianSupplierId, "meridian", subject);
        Assert.Equal("Dana Invited", user.DisplayName);
        await AssertSignedInAsync(session, "Dana Invited");
        await using var db = Portal.CreateDbContext();
        var invitation = await db.Set<Invitation>().AsNoTracking().SingleAsync(i => i.Id == invitationId);
        Assert.NotNull(invitation.AcceptedAt);
        Assert.Equal(user.Id, invitation.AcceptedUserId);

        // The same subject again: signs in to the same account; the consumed invitation is not needed any more.
        using var again = PortalSession.Anonymous(Portal);
        var second = await StartWithProviderAsync(again, "meridian");
        using var secondResponse = await upstream.CompleteAsync(again, "meridian", second, new IdToken(subject, email));
        Assert.Equal(HttpStatusCode.Redirect, secondResponse.StatusCode);
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == email));
    }

    [Fact]
    public async Task Callback_ExistingLocalAccountOfSameOrganisation_IsLinkedNotDuplicated()
    {
        var email = $"local.{Guid.NewGuid():N}@meridian.example";
        var localId = await Portal.CreateUserAsync(email, Roles.SupplierAdmin, DemoData.MeridianSupplierId);
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithEmailAsync(session, email);
        var subject = "meridian-" + Guid.NewGuid().ToString("N");

        using var response = await upstream.CompleteAsync(session, "meridian", authorize, new IdToken(subject, email));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = Portal.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
        Assert.Equal(localId, user.Id);
        Assert.True(await db.UserLogins.AnyAsync(l => l.UserId == localId && l.LoginProvider == "oidc:meridian" && l.ProviderKey == subject));
        await AssertAuditedAsync(FederationAuditKind.Linked, localId);
    }

    public static TheoryData<string> BadTokens => ["wrong-issuer", "wrong-audience", "bad-signature", "expired", "unverified-email", "unknown-domain", "no-email"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Callback_BadToken_IsRefusedWithPageAndNoAccount(string fault)
    {
        using var session = PortalSession.Anonymous(Portal);
        var email = fault == "unknown-domain" ? $"who.{Guid.NewGuid():N}@unclaimed.example" : $"fault.{Guid.NewGuid():N}@meridian.example";
        var authorize = await StartWithEmailAsync(session, $"starter.{Guid.NewGuid():N}@meridian.example");
        var token = new IdToken("meridian-" + Guid.NewGuid().ToString("N"), email);
        token = fault switch
        {
            "wrong-issuer" => token with { Issuer = "http://idp.attacker.example/meridian" },
            "wrong-audience" => token with { Audience = "some-other-client" },
            "bad-signature" => token with { SignWithForeignKey = true },
            "expired" => token with { Expired = true },
            "unverified-email" => token with { EmailVerified = false },
            "no-email" => token with { Email = null },
            _ => token,
        };

        using var response = await upstream.CompleteAsync(session, "meridian", authorize, token);

        var expected = fault switch
        {
            "unverified-email" => "UnverifiedEmail",
            "unknown-domain" => "UnknownDomain",
            "no-email" => "MissingEmail",
            _ => "InvalidResponse",
        };
        // Token faults must be caught by the id_token validation after a real code exchange, not earlier.
        await AssertRefusedAsync(session, response, expected, email);
        Assert.Contains(upstream.TokenRequests("meridian"), body => body.Contains($"code=code-{token.Subject}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Callback_UserinfoRepeatsTheIdTokensClaims_CountsThemOnce()
    {
        var email = $"ivy.{Guid.NewGuid():N}@mirror.example";
        await InviteAsync(email, DemoData.CalderaSupplierId, Roles.SupplierContributor);
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithProviderAsync(session, "mirror");
        var subject = "mirror-" + Guid.NewGuid().ToString("N");

        using var response = await upstream.CompleteAsync(session, "mirror", authorize, new IdToken(subject, email), userinfoEmail: email);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        await AssertAccountAsync(email, DemoData.CalderaSupplierId, "mirror", subject);
    }

    [Fact]
    public async Task Callback_UserinfoContradictsTheIdTokensEmail_IsRefused()
    {
        var email = $"ivy.{Guid.NewGuid():N}@mirror.example";
        await InviteAsync(email, DemoData.CalderaSupplierId, Roles.SupplierContributor);
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithProviderAsync(session, "mirror");

        using var response = await upstream.CompleteAsync(session, "mirror", authorize, new IdToken("mirror-" + Guid.NewGuid().ToString("N"), email), userinfoEmail: "someone.else@mirror.example");

        await AssertRefusedAsync(session, response, "InvalidResponse", email, "InvalidResponse: conflicting email claims");
    }

    [Fact]
    public async Task Callback_ProviderAssertsDomainRoutedElsewhere_IsRefused()
    {
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithProviderAsync(session, "acme");
        var email = $"intruder.{Guid.NewGuid():N}@meridian.example";

        using var response = await upstream.CompleteAsync(session, "acme", authorize, new IdToken("acme-" + Guid.NewGuid().ToString("N"), email));

        await AssertRefusedAsync(session, response, "WrongProvider", email);
    }

    [Fact]
    public async Task Callback_ProviderReportsError_IsRefusedWithPage()
    {
        using var session = PortalSession.Anonymous(Portal);
        var authorize = await StartWithEmailAsync(session, $"cancel.{Guid.NewGuid():N}@meridian.example");
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();

        using var response = await session.Client.GetAsync(new Uri($"/signin-oidc/meridian?error=access_denied&state={Uri.EscapeDataString(state)}&iss={Uri.EscapeDataString(upstream.Issuer("meridian"))}", UriKind.Relative));

        await AssertRefusedAsync(session, response, "ProviderError", email: null);
    }

    [Fact]
    public async Task Callback_WithoutStartedSignIn_IsRefused()
    {
        using var session = PortalSession.Anonymous(Portal);

        using var response = await session.Client.GetAsync(new Uri("/signin-oidc/meridian?code=forged&state=forged", UriKind.Relative));

        await AssertRefusedAsync(session, response, "InvalidResponse", email: null);
    }

    [Fact]
    public async Task Callback_UnconfiguredProvider_IsNotFound()
    {
        using var session = PortalSession.Anonymous(Portal);
        using var response = await session.Client.GetAsync(new Uri("/signin-oidc/nobody?code=x&state=y", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AdminPage_ListsProvidersCallbacksAndManagesClaims()
    {
        await Portal.CreateUserAsync("fed.admin@operator.example", Roles.Administrator);
        using var admin = await PortalSession.SignInAsync(Portal, "fed.admin@operator.example");

        var (response, page) = await admin.GetPageAsync("/Admin/IdentityProviders");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var meridianRow = page.QuerySelector("[data-testid=providers] tr[data-provider=meridian]")!;
        Assert.Equal("http://localhost/signin-oidc/meridian", meridianRow.QuerySelector("[data-testid=callback]")!.TextContent);
        Assert.Contains("meridian.example", meridianRow.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid=providers] tr[data-provider=acme]"));

        var domain = $"d{Guid.NewGuid():N}.example";
        using var added = await admin.PostFormAsync("/Admin/IdentityProviders?handler=Add", new Dictionary<string, string>
        {
            ["Input.Domain"] = domain.ToUpperInvariant(),
            ["Input.SupplierId"] = DemoData.CalderaSupplierId.ToString(),
            ["Input.ProviderName"] = "acme",
        }, tokenFrom: "/Admin/IdentityProviders");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        await using (var db = Portal.CreateDbContext())
        {
            var claim = await db.Set<SupplierDomain>().AsNoTracking().SingleAsync(d => d.Domain == domain);
            Assert.Equal(DemoData.CalderaSupplierId, claim.SupplierId);
            Assert.Equal("acme", claim.ProviderName);
            Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == "domain.claimed" && e.Subject == "domain:" + domain));
        }

        // The new claim routes at once.
        using (var visitor = PortalSession.Anonymous(Portal))
        {
            var authorize = await StartWithEmailAsync(visitor, "someone@" + domain);
            Assert.StartsWith(upstream.Issuer("acme") + "/authorize", authorize.AbsoluteUri, StringComparison.Ordinal);
        }

        foreach (var (bad, field) in new[] { ("not a domain", "Input.Domain"), ("meridian.example", "Input.Domain") })
        {
            using var refused = await admin.PostFormAsync("/Admin/IdentityProviders?handler=Add", new Dictionary<string, string>
            {
                ["Input.Domain"] = bad,
                ["Input.SupplierId"] = DemoData.CalderaSupplierId.ToString(),
                ["Input.ProviderName"] = string.Empty,
            }, tokenFrom: "/Admin/IdentityProviders");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var refusedPage = PortalSession.Parse(await refused.Content.ReadAsStringAsync());
            Assert.False(string.IsNullOrWhiteSpace(refusedPage.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent));
        }

        await using (var db = Portal.CreateDbContext())
        {
            Assert.Equal(DemoData.MeridianSupplierId, (await db.Set<SupplierDomain>().AsNoTracking().SingleAsync(d => d.Domain == "meridian.example")).SupplierId);
            var claimId = await db.Set<SupplierDomain>().Where(d => d.Domain == domain).Select(d => d.Id).SingleAsync();

            // A supplier administrator can neither see the page nor remove a claim.
            using var supplier = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);
            var (supplierGet, _) = await supplier.GetPageAsync("/Admin/IdentityProviders");
            Assert.NotEqual(HttpStatusCode.OK, supplierGet.StatusCode);
            using var supplierRemove = await supplier.PostFormAsync($"/Admin/IdentityProviders?handler=Remove&id={claimId}", new Dictionary<string, string>(), tokenFrom: "/");
            Assert.True(supplierRemove.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && supplierRemove.Headers.Location?.OriginalString.Contains("AccessDenied", StringComparison.Ordinal) != false);
            Assert.True(await db.Set<SupplierDomain>().AnyAsync(d => d.Id == claimId));

            using var removed = await admin.PostFormAsync($"/Admin/IdentityProviders?handler=Remove&id={claimId}", new Dictionary<string, string>(), tokenFrom: "/Admin/IdentityProviders");
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
            Assert.False(await db.Set<SupplierDomain>().AnyAsync(d => d.Id == claimId));
            Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == "domain.released" && e.Subject == "domain:" + domain));
        }
    }

    private static async Task<Uri> StartWithEmailAsync(PortalSession session, string email)
    {
        using var response = await session.PostFormAsync("/Account/Login?handler=Continue", new Dictionary<string, string> { ["Input.Email"] = email }, tokenFrom: "/Account/Login");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static async Task<Uri> StartWithProviderAsync(PortalSession session, string provider)
    {
        using var response = await session.PostFormAsync("/Account/Login?handler=Provider", new Dictionary<string, string> { ["provider"] = provider }, tokenFrom: "/Account/Login");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private async Task<ApplicationUser> AssertAccountAsync(string email, Guid supplierId, string provider, string subject)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        Assert.Equal(supplierId, user.SupplierId);
        Assert.True(user.EmailConfirmed);
        Assert.False(await users.HasPasswordAsync(user));
        Assert.Equal([Roles.SupplierContributor], await users.GetRolesAsync(user));
        Assert.Equal(user.Id, (await users.FindByLoginAsync("oidc:" + provider, subject))?.Id);
        return user;
    }

    private static async Task AssertSignedInAsync(PortalSession session, string displayName)
    {
        var (home, page) = await session.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(displayName, page.QuerySelector("[data-testid=signed-in-as]")!.TextContent, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(PortalSession session, HttpResponseMessage response, string reason, string? email, string? auditDetails = null)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        var refusal = page.QuerySelector("[data-testid=federation-refused]");
        Assert.NotNull(refusal);
        Assert.Equal(reason, refusal.GetAttribute("data-reason"));
        Assert.False(string.IsNullOrWhiteSpace(refusal.QuerySelector("[role=alert]")?.TextContent));

        var (home, _) = await session.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        await using var db = Portal.CreateDbContext();
        if (email is not null)
        {
            Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        }

        var refused = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Kind == "sign-in.federated-refused").OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.StartsWith(auditDetails ?? reason, refused.Details, StringComparison.Ordinal);
    }

    private enum FederationAuditKind { Provisioned, Linked }

    private async Task AssertAuditedAsync(FederationAuditKind kind, Guid userId)
    {
        await using var db = Portal.CreateDbContext();
        var subject = $"user:{userId:D}";
        var expected = kind == FederationAuditKind.Provisioned ? "user.provisioned-federated" : "user.linked-federated";
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == expected && e.Subject == subject));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == "sign-in.federated" && e.Subject == subject));
    }

    private async Task<Guid> InviteAsync(string email, Guid supplierId, string role)
    {
        await using var db = Portal.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            SupplierId = supplierId,
            Email = email,
            Role = role,
            TokenHash = InvitationTokens.Hash(InvitationTokens.NewToken()),
            CreatedAt = now,
            ExpiresAt = now.AddDays(3),
        };
        db.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    }

    /// <summary>What the upstream provider's id_token says, and how it is spoiled for the refusal cases.</summary>
    public sealed record IdToken(
        string Subject,
        string? Email,
        bool EmailVerified = true,
        string? Name = null,
        string? Issuer = null,
        string? Audience = null,
        bool Expired = false,
        bool SignWithForeignKey = false);

    /// <summary>Two providers on one WireMock server and a Portal configured with both.</summary>
    public sealed class UpstreamFixture : IDisposable
    {
        private static readonly string[] Providers = ["meridian", "acme", "mirror"];
        private readonly WireMockServer _idp = WireMockServer.Start();
        private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "upstream-key-1" };
        private readonly RsaSecurityKey _foreignKey = new(RSA.Create(2048)) { KeyId = "upstream-key-1" };
        private readonly JsonWebTokenHandler _tokens = new();

        public UpstreamFixture()
        {
            foreach (var name in Providers)
            {
                Serve(name);
            }

            Portal = new PortalFactory()
                .With("RateLimits:SignInPerMinute", "1000")
                .With("Federation:Providers:meridian:DisplayName", "Meridian Freight sign-in")
                .With("Federation:Providers:meridian:Issuer", Issuer("meridian"))
                .With("Federation:Providers:meridian:ClientId", MeridianClientId)
                .With("Federation:Providers:meridian:ClientSecret", "upstream-test-secret")
                .With("Federation:Providers:acme:DisplayName", "Acme sign-in")
                .With("Federation:Providers:acme:Issuer", Issuer("acme"))
                .With("Federation:Providers:acme:ClientId", "supplierassure-acme")
                // A provider with a userinfo endpoint that repeats the id_token's claims, as real providers (and
                // scripts/demo-idp) do; the OpenIddict client merges both into one principal.
                .With("Federation:Providers:mirror:Issuer", Issuer("mirror"))
                .With("Federation:Providers:mirror:ClientId", "supplierassure-mirror");
        }

        public PortalFactory Portal { get; }

        public string Issuer(string provider) => $"{_idp.Url}/{provider}";

        /// <summary>Answers the callback the way the provider's redirect would, after arranging its token response.</summary>
        public async Task<HttpResponseMessage> CompleteAsync(PortalSession session, string provider, Uri authorize, IdToken token, string? userinfoEmail = null)
        {
            var query = QueryHelpers.ParseQuery(authorize.Query);
            var code = "code-" + token.Subject;
            var now = DateTime.UtcNow;
            var claims = new Dictionary<string, object> { ["sub"] = token.Subject, ["nonce"] = query["nonce"].ToString(), ["email_verified"] = token.EmailVerified };
            if (token.Email is not null)
            {
                claims["email"] = token.Email;
            }

            if (token.Name is not null)
            {
                claims["name"] = token.Name;
            }

            var issuedAt = token.Expired ? now.AddHours(-2) : now.AddSeconds(-5);
            var idToken = _tokens.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = token.Issuer ?? Issuer(provider),
                Audience = token.Audience ?? query["client_id"].ToString(),
                IssuedAt = issuedAt,
                NotBefore = issuedAt,
                Expires = token.Expired ? now.AddHours(-1) : now.AddMinutes(5),
                Claims = claims,
                SigningCredentials = new SigningCredentials(token.SignWithForeignKey ? _foreignKey : _key, SecurityAlgorithms.RsaSha256),
            });
            // The spoiled token really is what the case says (so a pass means the Portal refused it).
            Assert.Equal(token.Expired, new JsonWebToken(idToken).ValidTo < now);
            _idp.Given(Request.Create().WithPath($"/{provider}/token").UsingPost().WithBody(new WildcardMatcher($"*code={code}*")))
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBodyAsJson(new
                {
                    access_token = "opaque-" + token.Subject,
                    token_type = "Bearer",
                    expires_in = 300,
                    id_token = idToken,
                }));

            if (userinfoEmail is not null)
            {
                _idp.Given(Request.Create().WithPath($"/{provider}/userinfo").UsingGet().WithHeader("Authorization", "Bearer opaque-" + token.Subject))
                    .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBodyAsJson(new Dictionary<string, object>
                    {
                        ["sub"] = token.Subject, ["email"] = userinfoEmail, ["email_verified"] = token.EmailVerified,
                    }));
            }

            var callback = new Uri(query["redirect_uri"].ToString()).AbsolutePath;
            var state = Uri.EscapeDataString(query["state"].ToString());
            return await session.Client.GetAsync(new Uri($"{callback}?code={code}&state={state}&iss={Uri.EscapeDataString(Issuer(provider))}", UriKind.Relative));
        }

        public IReadOnlyList<string> TokenRequests(string provider) =>
            [.. _idp.LogEntries.Select(e => e.RequestMessage).Where(r => r.Path == $"/{provider}/token").Select(r => r.Body ?? string.Empty)];

        /// <summary>A form field of the token request the Portal made for <paramref name="subject"/>'s code.</summary>
        public string TokenRequestField(string provider, string subject, string field)
        {
            var body = _idp.LogEntries
                .Select(e => e.RequestMessage)
                .Single(r => r.Path == $"/{provider}/token" && r.Body!.Contains($"code=code-{subject}", StringComparison.Ordinal))
                .Body!;
            return QueryHelpers.ParseQuery("?" + body)[field].ToString();
        }

        private void Serve(string name)
        {
            var issuer = Issuer(name);
            _idp.Given(Request.Create().WithPath($"/{name}/.well-known/openid-configuration").UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBodyAsJson(new Dictionary<string, object>
                {
                    ["issuer"] = issuer,
                    ["authorization_endpoint"] = issuer + "/authorize",
                    ["token_endpoint"] = issuer + "/token",
                    ["jwks_uri"] = issuer + "/jwks",
                    ["response_types_supported"] = new[] { "code" },
                    ["response_modes_supported"] = new[] { "query" },
                    ["grant_types_supported"] = new[] { "authorization_code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["scopes_supported"] = new[] { "openid", "email", "profile" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                    ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "none" },
                    ["authorization_response_iss_parameter_supported"] = true,
                }.Concat(name == "mirror" ? [new KeyValuePair<string, object>("userinfo_endpoint", issuer + "/userinfo")] : []).ToDictionary()));
            var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
            _idp.Given(Request.Create().WithPath($"/{name}/jwks").UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBodyAsJson(new
                {
                    keys = new[]
                    {
                        new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                    },
                }));
        }

        public void Dispose()
        {
            Portal.Dispose();
            _idp.Stop();
            _idp.Dispose();
            _key.Rsa.Dispose();
            _foreignKey.Rsa.Dispose();
        }
    }
}
