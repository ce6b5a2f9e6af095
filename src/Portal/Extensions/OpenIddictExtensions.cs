using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Portal.Identity;
using SupplierAssure.ServiceDefaults;

namespace SupplierAssure.Portal.Extensions;

public static class OpenIddictExtensions
{
    /// <summary>
    /// The Portal's OAuth 2.0 / OpenID Connect server: client credentials for partner systems, JWT access tokens
    /// whose audience is the partner gateway, signing keys from a configured certificate, else (in Development) the
    /// OpenIddict development certificate kept in the user's certificate store, else keys generated once and kept
    /// protected in the data directory (<see cref="TokenKeyStore"/>); every one of them survives restarts.
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

                // private_key_jwt is on by default for clients registered with a JSON Web Key Set; this makes each
                // assertion single-use (OpenIddict checks signature, lifetime, issuer and audience itself).
                o.AddEventHandler(ClientAssertionReplayGuard.Descriptor);

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
                    // No certificate configured: keys generated once and kept, Data Protection-protected, in the data
                    // directory (see TokenKeyStore and docs/decisions.md), so tokens outlive a restart.
                    var paths = SupplierAssurePaths.From(builder.Configuration["SupplierAssure:DataDirectory"], builder.Environment.ContentRootPath);
                    var store = new TokenKeyStore(
                        paths.Resolve(options.TokenKeyDirectory),
                        paths.Resolve(options.TokenKeyRingDirectory),
                        TimeProvider.System);
                    foreach (var key in store.LoadOrCreate(TokenKeyStore.KeyUse.Signing))
                    {
                        o.AddSigningCertificate(key);
                    }

                    foreach (var key in store.LoadOrCreate(TokenKeyStore.KeyUse.Encryption))
                    {
                        o.AddEncryptionCertificate(key);
                    }
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
