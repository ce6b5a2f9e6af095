using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Extensions;

public static class PartnerAuthenticationExtensions
{
    /// <summary>
    /// Bearer tokens from the Portal's token endpoint (client credentials), and one authorization policy per
    /// operation scope. No token gives UNAUTHENTICATED (HTTP 401); a token without the scope PERMISSION_DENIED (403).
    /// </summary>
    public static IHostApplicationBuilder AddPartnerAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PartnerGatewayOptions>()
            .BindConfiguration(PartnerGatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Authority, UriKind.Absolute, out _), "PartnerGateway:Authority must be an absolute URL.")
            .ValidateOnStart();

        services.AddSingleton<PartnerTokenCache>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, ConfigurePartnerJwtBearer>());

        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in PartnerScopes.All)
        {
            authorization.AddPolicy("partner:" + scope, policy => RequirePartnerScope(policy, scope));
        }

        services.AddScoped<PartnerVisibility>();
        services.AddSingleton<PreparedStatusLookup>();
        services.AddPartnerRateLimiting();
        services.AddSingleton<PartnerAccessLog>();
        services.AddHostedService(sp => sp.GetRequiredService<PartnerAccessLog>());
        return builder;
    }

    private static void RequirePartnerScope(AuthorizationPolicyBuilder policy, string scope) =>
        policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            // Consent is granted to a client id, so a token that names no client can see nothing.
            .RequireClaim(PartnerClaims.ClientId)
            .AddRequirements(new ScopeRequirement(scope));
}
