using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Identity;

/// <summary>Adds the user's supplier organisation and display name to the sign-in cookie.</summary>
internal sealed class PortalClaimsPrincipalFactory(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.SupplierId is { } supplierId)
        {
            identity.AddClaim(new Claim(PortalClaims.SupplierId, supplierId.ToString("D", CultureInfo.InvariantCulture)));
        }

        // Read by MfaRequirement; the cookie is re-issued (RefreshSignInAsync) whenever enrolment changes.
        identity.AddClaim(new Claim(PortalClaims.MfaEnrolled, user.TwoFactorEnabled ? "true" : "false"));
        identity.AddClaim(new Claim(PortalClaims.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? string.Empty : user.DisplayName));
        return identity;
    }
}
