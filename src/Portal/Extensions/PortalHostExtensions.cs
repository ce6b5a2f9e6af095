using SupplierAssure.Portal.Features.Assessments;
using SupplierAssure.Portal.Identity;
using SupplierAssure.ServiceDefaults;

namespace SupplierAssure.Portal.Extensions;

public static class PortalHostExtensions
{
    // Pages reached before a full sign-in; each is rate limited like the sign-in form.
    private static readonly string[] AnonymousAccountPages =
        ["/Account/LoginWith2fa", "/Account/ForgotPassword", "/Account/ResetPassword", "/Invitations/Accept"];

    public static IHostApplicationBuilder AddPortalPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorPages(o =>
        {
            // One folder per feature: Features/<Feature>/ holds that feature's pages.
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
            foreach (var page in AnonymousAccountPages)
            {
                o.Conventions.AllowAnonymousToPage(page);
                o.Conventions.AddPageApplicationModelConvention(page, m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimitingExtensions.SignInPolicy)));
            }

            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AddPageApplicationModelConvention("/Account/Login", m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimitingExtensions.SignInPolicy)));
        }).AddMvcOptions(o => o.Filters.Add(new Features.RefusedFormFilter()));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "SupplierAssure.Antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>Schema, seed data and identity seed before the host accepts requests.</summary>
    public static async Task InitialisePortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.InitialiseDatabaseAsync(app.Lifetime.ApplicationStopping);
        await IdentitySeeder.SeedAsync(app.Services, app.Lifetime.ApplicationStopping);
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }
        else
        {
            app.UseExceptionHandler("/Error");
        }

        // Pages get a friendly error page for empty 4xx/5xx answers; the REST API keeps its own status and body.
        app.UseWhen(
            ctx => !ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase),
            branch => branch.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMfaRequirement();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapDefaultEndpoints();
        app.MapTokenEndpoint();
        app.MapEvidenceDownloads();
        app.MapEvidenceUploads();
        app.MapRazorPages();
        return app;
    }
}
