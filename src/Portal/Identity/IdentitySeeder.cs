using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// Roles and OAuth scopes always; in demo mode also the demo users and the demo partner client. Runs once per
/// database under the same writer lock as the domain seed, so the Portal and the gateway may start together.
/// </summary>
internal static class IdentitySeeder
{
    public static async Task SeedAsync(IServiceProvider root, CancellationToken cancellationToken)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<SupplierAssureDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var identity = services.GetRequiredService<IOptions<PortalIdentityOptions>>().Value;

        await DemoDataSeeder.SeedOnceAsync(db, "identity-v1", clock, async () =>
        {
            var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
            foreach (var role in Roles.All)
            {
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.NewGuid() }), role);
            }

            var scopes = services.GetRequiredService<IOpenIddictScopeManager>();
            foreach (var name in PartnerScopes.All)
            {
                await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = name, Resources = { identity.PartnerGatewayAudience } }, cancellationToken);
            }
        }, cancellationToken);

        var demo = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!demo.Enabled || !database.SeedDemoData)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(demo.Password) || string.IsNullOrWhiteSpace(demo.PartnerClientSecret))
        {
            throw new InvalidOperationException("Demo mode needs Demo:Password and Demo:PartnerClientSecret.");
        }

        await DemoDataSeeder.SeedOnceAsync(db, DemoData.IdentitySeedName, clock, async () =>
        {
            var users = services.GetRequiredService<UserManager<ApplicationUser>>();
            await CreateUserAsync(users, DemoData.SupplierUserEmail, "Sam Okafor (Meridian Freight)", DemoData.MeridianSupplierId, Roles.SupplierAdmin, demo.Password);
            await CreateUserAsync(users, DemoData.OtherSupplierUserEmail, "Lena Brandt (Caldera Components)", DemoData.CalderaSupplierId, Roles.SupplierAdmin, demo.Password);
            await CreateUserAsync(users, DemoData.ProcurementUserEmail, "Priya Natarajan (Procurement)", null, Roles.ProcurementManager, demo.Password);

            var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = DemoData.PartnerClientId,
                ClientSecret = demo.PartnerClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo partner system",
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + PartnerScopes.StatusRead,
                    Permissions.Prefixes.Scope + PartnerScopes.IncidentsWrite,
                    Permissions.Prefixes.Scope + PartnerScopes.CredentialsRead,
                    Permissions.Prefixes.Scope + PartnerScopes.CredentialsWrite,
                },
            }, cancellationToken);
        }, cancellationToken);

        // An administrator, so the demo shows /Admin/Workflows (each submission's route) and the workflow policy.
        await DemoDataSeeder.SeedOnceAsync(db, "demo-administrator-v1", clock, async () =>
            await CreateUserAsync(services.GetRequiredService<UserManager<ApplicationUser>>(), DemoAdministratorEmail, "Jonas Lindqvist (Administrator)", null, Roles.Administrator, demo.Password),
            cancellationToken);
        // A risk owner, so an approval that leaves residual risk can be signed off in the demo by someone other than the reviewer.
        await DemoDataSeeder.SeedOnceAsync(db, "demo-risk-owner-v1", clock, async () =>
            await CreateUserAsync(services.GetRequiredService<UserManager<ApplicationUser>>(), DemoRiskOwnerEmail, "Dana Whitfield (Risk owner)", null, Roles.RiskOwner, demo.Password),
            cancellationToken);
        await SeedDemoPartnerOrganisationAsync(db, clock, cancellationToken);
        await Features.Audits.DemoAuditSeeder.SeedAsync(services, db, clock, demo.Password, cancellationToken);
    }

    /// <summary>The demo partner client's organisation, so the administrator page shows it with its last use.</summary>
    private static Task SeedDemoPartnerOrganisationAsync(SupplierAssureDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        DemoDataSeeder.SeedOnceAsync(db, "demo-partner-organisation-v1", clock, async () =>
        {
            var organisation = new PartnerOrganisation
            {
                Id = new Guid("9a7e0000-0000-4000-8000-0000000000d1"),
                Name = "Harbourline Customs Brokers (demo partner)",
                CreatedAt = clock.GetUtcNow(),
            };
            db.PartnerOrganisations.Add(organisation);
            db.PartnerClients.Add(new PartnerClient
            {
                ClientId = DemoData.PartnerClientId,
                PartnerOrganisationId = organisation.Id,
                DisplayName = "Demo partner system",
                Authentication = PartnerClientAuthentication.ClientSecret,
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

    public const string DemoAdministratorEmail = "admin@operator.example";

    public const string DemoRiskOwnerEmail = "risk@operator.example";

    private static async Task CreateUserAsync(UserManager<ApplicationUser> users, string email, string displayName, Guid? supplierId, string role, string password)
    {
        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            SupplierId = supplierId,
        };
        Check(await users.CreateAsync(user, password), email);
        Check(await users.AddToRoleAsync(user, role), email);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
