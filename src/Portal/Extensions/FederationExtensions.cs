using OpenIddict.Client;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Federation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Extensions;

public static class FederationExtensions
{
    /// <summary>
    /// The OpenIddict client toward upstream OpenID Connect providers (Federation:Providers): one registration per
    /// provider, each with its own callback path /signin-oidc/{name}, authorization code flow with PKCE. The
    /// callback page (Features/Account/External) completes the sign-in; the sign-in page routes by e-mail domain.
    /// </summary>
    public static IHostApplicationBuilder AddPortalFederation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(FederationOptions.SectionName);
        builder.Services.AddOptions<FederationOptions>().Bind(section);
        var federation = section.Get<FederationOptions>() ?? new FederationOptions();
        var problems = federation.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Federation settings are not usable: " + string.Join(" ", problems));
        }

        var identity = builder.Configuration.GetSection(PortalIdentityOptions.SectionName).Get<PortalIdentityOptions>() ?? new PortalIdentityOptions();
        var allowHttp = identity.AllowHttp || builder.Environment.IsDevelopment();

        builder.Services.AddScoped<HomeRealmDiscovery>();
        builder.Services.AddScoped<FederatedSignIn>();
        if (federation.Providers.Count == 0)
        {
            // No upstream provider: no OpenIddict client (its code flow needs at least one callback), and the
            // sign-in page, which routes only to configured providers, always shows the password form.
            return builder;
        }

        builder.Services.AddOpenIddict().AddClient(o =>
        {
            o.AllowAuthorizationCodeFlow();

            // State tokens (which carry the PKCE verifier, nonce and return URL between challenge and callback) are
            // protected with ASP.NET Core Data Protection, whose key ring lives in the database: a callback may
            // land on another instance or after a restart. The ephemeral keys are required by the client's
            // configuration but sign or encrypt nothing that outlives the process.
            o.UseDataProtection();
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();

            var aspNetCore = o.UseAspNetCore()
                .EnableRedirectionEndpointPassthrough()
                // Errors (the provider's and failed validations) reach our callback page, which explains them.
                .EnableErrorPassthrough();
            if (allowHttp)
            {
                // Note: plain HTTP callbacks only for the loopback demo and tests, as for the token server.
                aspNetCore.DisableTransportSecurityRequirement();
            }

            o.UseSystemNetHttp().SetProductInformation(typeof(FederationExtensions).Assembly);

            o.SetRedirectionEndpointUris([.. federation.Providers.Keys.Select(CallbackUri)]);
            foreach (var (name, provider) in federation.Providers)
            {
                var registration = new OpenIddictClientRegistration
                {
                    ProviderName = name,
                    ProviderDisplayName = provider.DisplayName ?? name,
                    Issuer = provider.Issuer,
                    ClientId = provider.ClientId,
                    ClientSecret = string.IsNullOrEmpty(provider.ClientSecret) ? null : provider.ClientSecret,
                    RedirectUri = CallbackUri(name),
                };
                registration.Scopes.UnionWith([Scopes.OpenId, Scopes.Email, Scopes.Profile]);
                o.AddRegistration(registration);
            }
        });

        if (allowHttp)
        {
            // Note: on the plain-HTTP loopback demo and in tests the correlation cookie (which binds a callback to
            // the browser that started the sign-in) cannot be Secure, and a SameSite=None cookie must be; Lax
            // still travels with the provider's top-level redirect back (response_mode=query). Behind TLS the
            // OpenIddict defaults (Secure, SameSite=None, so form_post works too) stay.
            builder.Services.Configure<OpenIddict.Client.AspNetCore.OpenIddictClientAspNetCoreOptions>(o =>
            {
                o.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CookieBuilder.SameSite = SameSiteMode.Lax;
            });
        }

        return builder;
    }

    private static Uri CallbackUri(string name) => new(FederationOptions.CallbackPrefix.TrimStart('/') + name, UriKind.Relative);
}
