using Microsoft.AspNetCore.Identity;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Tenancy;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Extensions;

public static class IdentityExtensions
{
    public const string SupplierUserPolicy = "SupplierUser";
    public const string OperatorStaffPolicy = "OperatorStaff";

    /// <summary>Local accounts (ASP.NET Core Identity), the sign-in cookie, roles and the tenant scope of a request.</summary>
    public static IHostApplicationBuilder AddPortalIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.AddOptions<MfaOptions>().BindConfiguration(MfaOptions.SectionName);
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName);
        services.AddSingleton<IPortalEmailSender, PortalEmailSender>();
        services.AddSingleton<MfaRequirement>();
        services.AddSingleton<AuditLog>();
        services.AddScoped<PortalAudit>();
        services.AddHttpContextAccessor();
        services.AddScoped<ITenantScopeAccessor, HttpTenantScopeAccessor>();

        services.AddIdentity<ApplicationUser, IdentityRole<Guid>>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.SignIn.RequireConfirmedAccount = false;
                // A password reset or invitation link proves the address; unconfirmed accounts cannot sign in.
                o.SignIn.RequireConfirmedEmail = true;
            })
            .AddEntityFrameworkStores<SupplierAssureDbContext>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        // Note: a disabled account or a changed role takes effect in open sessions when the cookie's security stamp
        // is next checked against the database. One minute instead of Identity's 30 bounds how long a disabled
        // colleague keeps a session, for one user lookup per signed-in user per minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // E-mail confirmation and password-reset links are short-lived: they travel through mailboxes.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(2));

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "SupplierAssure.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Note: SameAsRequest keeps the cookie usable on the plain-HTTP loopback demo; behind TLS it is Secure.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(SupplierUserPolicy, p => p
                .RequireAuthenticatedUser()
                .RequireClaim(PortalClaims.SupplierId)
                .RequireRole(Roles.SupplierAdmin, Roles.SupplierContributor))
            .AddPolicy(OperatorStaffPolicy, p => p
                .RequireAuthenticatedUser()
                .RequireRole([.. Roles.OperatorStaff]));
        return builder;
    }

    /// <summary>Operator staff without an enrolled second factor reach only the account pages (see <see cref="MfaRequirement"/>).</summary>
    public static IApplicationBuilder UseMfaRequirement(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var requirement = app.ApplicationServices.GetRequiredService<MfaRequirement>();
        return app.Use((context, next) => requirement.InvokeAsync(context, next));
    }
}
