using Microsoft.AspNetCore.Identity;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// Demo mode only: the demo auditor (unless an account with that address exists) and the demo audit, once per
/// database under its own seed marker, so a database seeded before audits existed gets them too.
/// </summary>
internal static class DemoAuditSeeder
{
    public static Task SeedAsync(IServiceProvider services, SupplierAssureDbContext db, TimeProvider clock, string password, CancellationToken cancellationToken) =>
        DemoDataSeeder.SeedOnceAsync(db, DemoAudit.SeedName, clock, async () =>
        {
            var users = services.GetRequiredService<UserManager<ApplicationUser>>();
            var auditor = await users.FindByEmailAsync(DemoAudit.AuditorUserEmail);
            if (auditor is null)
            {
                auditor = new ApplicationUser
                {
                    Id = Guid.NewGuid(),
                    UserName = DemoAudit.AuditorUserEmail,
                    Email = DemoAudit.AuditorUserEmail,
                    EmailConfirmed = true,
                    DisplayName = "Tomás Reyes (Auditor)",
                };
                Check(await users.CreateAsync(auditor, password));
                Check(await users.AddToRoleAsync(auditor, Roles.Auditor));
            }

            await DemoAudit.SeedAsync(db, auditor.Id, clock, cancellationToken);
        }, cancellationToken);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {DemoAudit.AuditorUserEmail} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
