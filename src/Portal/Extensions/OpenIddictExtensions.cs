using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Extensions;

public static class OpenIddictExtensions
{
    /// <summary>
    /// The Portal's OAuth 2.0 / OpenID Connect server: client credentials for partner systems, JWT access tokens
    /// whose audience is the partner gateway, signing keys from a certificate (or, in Development, the OpenIddict
    /// development certificate kept in the user's certificate store so it survives restarts).
    /// </summary>
    public static IHostApplicationBuilder AddPortalTokenServer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(PortalIdentityOptions.SectionName);
        builder.Services.AddOptions<PortalIdentityOptions>().Bind(section);
        var options = section.Get<PortalIdentityOptions>() ?? new PortalIdentityOptions();
        var isDevelopment = builder.Environment.IsDevelopment();

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<SupplierAssureDbContext>())
            .AddServer(o =>
            {
                o.SetIssuer(options.Issuer);
                o.SetTokenEndpointUris("connect/token");
                o.AllowClientCredentialsFlow();
                o.RegisterScopes([.. PartnerScopes.All]);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(15));

                // Partners' gateways validate our tokens locally from the JWKS: a signed JWT, not an encrypted one.
                o.DisableAccessTokenEncryption();

                if (!string.IsNullOrWhiteSpace(options.SigningCertificatePath))
                {
                    var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.SigningCertificatePath, options.SigningCertificatePassword);
                    o.AddSigningCertificate(certificate).AddEncryptionCertificate(certificate);
                }
                else if (isDevelopment)
                {
                    o.AddDevelopmentSigningCertificate().AddDevelopmentEncryptionCertificate();
                }
                else
                {
                    throw new InvalidOperationException(
                        "Identity:SigningCertificatePath is required outside Development: tokens must be signed with a key that survives restarts.");
                }

                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (options.AllowHttp || isDevelopment)
                {
                    // Note: plain HTTP is accepted only for the loopback demo and tests (Development or an explicit
                    // Identity:AllowHttp); production sits behind TLS and keeps the transport security requirement.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddHostedService<TokenPruningService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/connect/token", TokenEndpoint.HandleAsync)
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitingExtensions.TokenPolicy)
            .ExcludeFromDescription();
        return app;
    }
}
