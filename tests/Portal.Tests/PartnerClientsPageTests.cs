using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>The administrator's partner organisations and clients pages, through real forms and the real token endpoint.</summary>
public sealed class PartnerClientsPageTests : IClassFixture<PartnerClientsPageTests.Fixture>
{
    private const string AdminEmail = "clients.admin@operator.example";
    private readonly Fixture _fixture;

    public PartnerClientsPageTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();

        public async Task InitializeAsync() => await Portal.CreateUserAsync(AdminEmail, Roles.Administrator);

        public Task DisposeAsync()
        {
            Portal.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task CreateOrganisationAndSecretClient_SecretShownOnceWorksAndLastUseRecorded()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var organisationId = await CreateOrganisationAsync(admin, "Northwind Forwarding " + Guid.NewGuid().ToString("N")[..6]);

        using var created = await admin.PostFormAsync($"/PartnerClients/Create?organisationId={organisationId}", new Dictionary<string, string>
        {
            ["OrganisationId"] = organisationId.ToString(),
            ["DisplayName"] = "Northwind status poller",
            ["Scopes"] = "partner.status.read",
            ["Authentication"] = "ClientSecret",
        }, $"/PartnerClients/Create?organisationId={organisationId}");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var page = PortalSession.Parse(await created.Content.ReadAsStringAsync());
        var clientId = page.QuerySelector("[data-testid=client-id]")!.TextContent;
        var secret = page.QuerySelector("[data-testid=client-secret]")!.TextContent;
        Assert.True(secret.Length >= 40, secret);

        // The secret is nowhere to be seen again: not on the list, not on the client's page, not in the database.
        var (_, list) = await admin.GetPageAsync("/PartnerClients");
        var (_, details) = await admin.GetPageAsync($"/PartnerClients/Client/{clientId}");
        Assert.DoesNotContain(secret, list.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, details.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Equal("never", details.QuerySelector("[data-testid=last-use]")!.TextContent);
        await using (var db = _fixture.Portal.CreateDbContext())
        {
            var stored = await db.Database.SqlQueryRaw<string>("SELECT ClientSecret AS Value FROM OpenIddictApplications WHERE ClientId = {0}", clientId).SingleAsync();
            Assert.NotEqual(secret, stored);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        // It works, for the scope chosen and no other; the token's issue shows as last use.
        await _fixture.Portal.GetPartnerTokenAsync("partner.status.read", clientId, secret);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _fixture.Portal.GetPartnerTokenAsync("partner.credentials.write", clientId, secret));
        (_, details) = await admin.GetPageAsync($"/PartnerClients/Client/{clientId}");
        Assert.NotEqual("never", details.QuerySelector("[data-testid=last-use]")!.TextContent);

        await AssertAuditedAsync(PartnerAuditKinds.OrganisationCreated, $"partner-organisation:{organisationId:D}");
        await AssertAuditedAsync(PartnerAuditKinds.ClientCreated, $"partner-client:{clientId}");
    }

    [Fact]
    public async Task RotateSecret_OldSecretRefusedNewOneWorks()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var (clientId, oldSecret) = await CreateSecretClientAsync(admin);

        using var rotated = await admin.PostFormAsync($"/PartnerClients/Client/{clientId}?handler=Rotate", new Dictionary<string, string>(), $"/PartnerClients/Client/{clientId}");
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = PortalSession.Parse(await rotated.Content.ReadAsStringAsync()).QuerySelector("[data-testid=client-secret]")!.TextContent;

        Assert.NotEqual(oldSecret, newSecret);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _fixture.Portal.GetPartnerTokenAsync("partner.status.read", clientId, oldSecret));
        await _fixture.Portal.GetPartnerTokenAsync("partner.status.read", clientId, newSecret);
        await AssertAuditedAsync(PartnerAuditKinds.ClientRotated, $"partner-client:{clientId}");
    }

    [Fact]
    public async Task DisableThenEnable_TokenRefusedWhileDisabled()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var (clientId, secret) = await CreateSecretClientAsync(admin);

        using (var disabled = await admin.PostFormAsync($"/PartnerClients/Client/{clientId}?handler=Disable", new Dictionary<string, string>(), $"/PartnerClients/Client/{clientId}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _fixture.Portal.GetPartnerTokenAsync("partner.status.read", clientId, secret));
        Assert.Contains("invalid_client", refused.Message, StringComparison.Ordinal);
        var (_, details) = await admin.GetPageAsync($"/PartnerClients/Client/{clientId}");
        Assert.StartsWith("Disabled", details.QuerySelector("[data-testid=state]")!.TextContent, StringComparison.Ordinal);

        using (var enabled = await admin.PostFormAsync($"/PartnerClients/Client/{clientId}?handler=Enable", new Dictionary<string, string>(), $"/PartnerClients/Client/{clientId}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }

        await _fixture.Portal.GetPartnerTokenAsync("partner.status.read", clientId, secret);
        await AssertAuditedAsync(PartnerAuditKinds.ClientDisabled, $"partner-client:{clientId}");
        await AssertAuditedAsync(PartnerAuditKinds.ClientEnabled, $"partner-client:{clientId}");
    }

    [Fact]
    public async Task CreateKeyClient_WithPrivateKeyPasted_RefusedWithMessageAndNothingCreated()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var organisationId = await CreateOrganisationAsync(admin, "Key paste test " + Guid.NewGuid().ToString("N")[..6]);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        using var response = await admin.PostFormAsync($"/PartnerClients/Create?organisationId={organisationId}", new Dictionary<string, string>
        {
            ["OrganisationId"] = organisationId.ToString(),
            ["DisplayName"] = "Leaky system",
            ["Scopes"] = "partner.status.read",
            ["Authentication"] = "PrivateKeyJwt",
            ["PublicJwk"] = PrivateKeyJwtTests.Jwk(rsa, includePrivate: true),
        }, $"/PartnerClients/Create?organisationId={organisationId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("private member", page.QuerySelector("#jwk-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=created]"));
        await using var db = _fixture.Portal.CreateDbContext();
        Assert.False(await db.PartnerClients.AnyAsync(c => c.PartnerOrganisationId == organisationId));
    }

    [Fact]
    public async Task CreateClient_NoScopeAndNoName_FieldErrorsAndNothingCreated()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var organisationId = await CreateOrganisationAsync(admin, "Empty form test " + Guid.NewGuid().ToString("N")[..6]);

        using var response = await admin.PostFormAsync($"/PartnerClients/Create?organisationId={organisationId}", new Dictionary<string, string>
        {
            ["OrganisationId"] = organisationId.ToString(),
            ["DisplayName"] = " ",
            ["Authentication"] = "ClientSecret",
        }, $"/PartnerClients/Create?organisationId={organisationId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("#name-error")!.TextContent));
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("#scopes-error")!.TextContent));
        await using var db = _fixture.Portal.CreateDbContext();
        Assert.False(await db.PartnerClients.AnyAsync(c => c.PartnerOrganisationId == organisationId));
    }

    [Fact]
    public async Task CreateOrganisation_DuplicateName_FieldError()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);
        var name = "Duplicate test " + Guid.NewGuid().ToString("N")[..6];
        await CreateOrganisationAsync(admin, name);

        using var response = await admin.PostFormAsync("/PartnerClients", new Dictionary<string, string> { ["Name"] = name });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("already exists", page.QuerySelector("#name-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListPage_ShowsDemoPartnerWithItsClient()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);

        var (response, page) = await admin.GetPageAsync("/PartnerClients");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector($"[data-testid=client-row][data-client-id={DemoData.PartnerClientId}]"));
    }

    [Theory]
    [InlineData(Roles.ProcurementManager)]
    [InlineData(Roles.SecurityReviewer)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.SupplierAdmin)]
    public async Task Pages_NonAdministrator_Denied(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@pages.example";
        await _fixture.Portal.CreateUserAsync(email, role, role == Roles.SupplierAdmin ? DemoData.MeridianSupplierId : null);
        using var session = await PortalSession.SignInAsync(_fixture.Portal, email);

        foreach (var path in new[] { "/PartnerClients", $"/PartnerClients/Client/{DemoData.PartnerClientId}" })
        {
            using var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_AdministratorOfASupplier_Denied()
    {
        // The Administrator role held by someone inside a supplier organisation does not make them the operator's administrator.
        var email = $"supplier-admin-role-{Guid.NewGuid():N}@pages.example";
        await _fixture.Portal.CreateUserAsync(email, Roles.Administrator, DemoData.MeridianSupplierId);
        using var session = await PortalSession.SignInAsync(_fixture.Portal, email);

        using var response = await session.Client.GetAsync(new Uri("/PartnerClients", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientPage_UnknownClient_NotFound()
    {
        using var admin = await PortalSession.SignInAsync(_fixture.Portal, AdminEmail);

        using var response = await admin.Client.GetAsync(new Uri("/PartnerClients/Client/no-such-client", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<(string ClientId, string Secret)> CreateSecretClientAsync(PortalSession admin)
    {
        var organisationId = await CreateOrganisationAsync(admin, "Partner " + Guid.NewGuid().ToString("N")[..8]);
        using var created = await admin.PostFormAsync($"/PartnerClients/Create?organisationId={organisationId}", new Dictionary<string, string>
        {
            ["OrganisationId"] = organisationId.ToString(),
            ["DisplayName"] = "Status poller",
            ["Scopes"] = "partner.status.read",
            ["Authentication"] = "ClientSecret",
        }, $"/PartnerClients/Create?organisationId={organisationId}");
        var page = PortalSession.Parse(await created.Content.ReadAsStringAsync());
        return (page.QuerySelector("[data-testid=client-id]")!.TextContent, page.QuerySelector("[data-testid=client-secret]")!.TextContent);
    }

    private async Task<Guid> CreateOrganisationAsync(PortalSession admin, string name)
    {
        using var response = await admin.PostFormAsync("/PartnerClients", new Dictionary<string, string> { ["Name"] = name, ["ContactEmail"] = "integration@partner.example" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = _fixture.Portal.CreateDbContext();
        return await db.PartnerOrganisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync();
    }

    private async Task AssertAuditedAsync(string kind, string subject)
    {
        await using var db = _fixture.Portal.CreateDbContext();
        var entry = await db.Set<AuditEntry>().Where(e => e.Kind == kind && e.Subject == subject).SingleOrDefaultAsync();
        Assert.True(entry is not null, $"No {kind} audit entry for {subject}.");
        Assert.Equal(AdminEmail, entry.Actor);
    }
}
