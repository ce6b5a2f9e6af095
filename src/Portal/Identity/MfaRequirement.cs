using System.Security.Claims;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Identity;

/// <summary>Second-factor settings. Bound from "Mfa".</summary>
public sealed class MfaOptions
{
    public const string SectionName = "Mfa";

    /// <summary>
    /// Whether operator staff must enrol an authenticator before using the Portal. Unset means "yes, unless demo
    /// mode is on", so a production configuration cannot forget it.
    /// </summary>
    public bool? RequiredForOperatorStaff { get; set; }

    /// <summary>Issuer name shown in authenticator apps.</summary>
    public string AuthenticatorIssuer { get; set; } = "SupplierAssure";
}

/// <summary>
/// Keeps operator staff who have not enrolled a second factor on the enrolment page. One middleware after
/// authentication, rather than a check per page, so new pages and endpoints are covered without opting in.
/// </summary>
public sealed class MfaRequirement(IOptions<MfaOptions> mfa, IOptions<DemoOptions> demo)
{
    public const string EnrolPath = "/Account/Mfa";

    // Pages an unenrolled operator may still reach: the account pages (enrolment, sign-out, sign-in), static files
    // and health probes.
    private static readonly string[] AllowedPrefixes = ["/Account/", "/lib/", "/css/", "/favicon", "/health", "/alive", "/Error"];

    public bool IsRequired => mfa.Value.RequiredForOperatorStaff ?? !demo.Value.Enabled;

    public bool AppliesTo(ClaimsPrincipal user) =>
        IsRequired
        && user.Identity?.IsAuthenticated == true
        && Roles.OperatorStaff.Any(user.IsInRole)
        && user.FindFirstValue(PortalClaims.MfaEnrolled) != "true";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (AppliesTo(context.User) && !AllowedPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect(EnrolPath + "?required=true");
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            return;
        }

        await next(context);
    }
}
