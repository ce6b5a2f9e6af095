using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.TestSupport;

/// <summary>A second user of a supplier organisation, for tests where two colleagues answer one questionnaire.</summary>
public static class Colleagues
{
    public const string MeridianColleagueEmail = "ana.colleague@meridian.example";
    public const string MeridianColleagueName = "Ana Ruiz (Meridian Freight)";

    /// <summary>Creates the colleague (a supplier contributor of <paramref name="supplierId"/>) unless it exists; returns its id.</summary>
    public static async Task<Guid> EnsureAsync(PortalFactory portal, Guid supplierId, string email = MeridianColleagueEmail, string displayName = MeridianColleagueName)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return existing.Id;
        }

        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, SupplierId = supplierId,
        };
        Check(await users.CreateAsync(user, PortalFactory.DemoPassword));
        Check(await users.AddToRoleAsync(user, Roles.SupplierContributor));
        return user.Id;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
