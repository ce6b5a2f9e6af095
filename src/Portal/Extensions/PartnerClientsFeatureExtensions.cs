using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Features.PartnerClients;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Extensions;

public static class PartnerClientsFeatureExtensions
{
    /// <summary>The operator's administrators: the Administrator role and no supplier organisation.</summary>
    public const string OperatorAdministratorPolicy = "OperatorAdministrator";

    /// <summary>Partner organisations and their machine clients, managed by operator administrators.</summary>
    public static IHostApplicationBuilder AddPartnerClientsFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PartnerClientRegistry>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(OperatorAdministratorPolicy, p => p
            .RequireAuthenticatedUser()
            .RequireRole(Roles.Administrator)
            .RequireAssertion(c => !c.User.HasClaim(claim => claim.Type == PortalClaims.SupplierId)));
        return builder;
    }
}
