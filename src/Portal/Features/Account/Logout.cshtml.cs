using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>Signing out is a POST with an anti-forgery token, so another site cannot sign a user out.</summary>
public sealed class LogoutModel(SignInManager<ApplicationUser> signIn, PortalAudit audit) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(AuditKinds.SignedOut, "session", supplierId: null, HttpContext.RequestAborted);
        }

        await signIn.SignOutAsync();
        return LocalRedirect("/Account/Login");
    }
}
