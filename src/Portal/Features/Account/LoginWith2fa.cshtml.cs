using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>
/// The second step of a local sign-in: an authenticator code or a single-use recovery code. Failures count
/// towards the same lockout as wrong passwords.
/// </summary>
public sealed class LoginWith2faModel(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, PortalAudit audit) : PageModel
{
    [BindProperty]
    public CodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // Only reachable after the password step; otherwise there is nobody to verify.
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var code = Input.Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await SignInWithRecoveryCodeAsync(user, Input.Code.Trim());

        await audit.RecordAsync(result.Succeeded ? AuditKinds.SignedIn : result.IsLockedOut ? AuditKinds.LockedOut : AuditKinds.SignInFailed,
            user, HttpContext.RequestAborted, "second factor");
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "This account is locked after too many failed attempts. Try again in 15 minutes."
            : "That code is not right. Codes change every 30 seconds; a recovery code works once.");
        return Page();
    }

    private async Task<Microsoft.AspNetCore.Identity.SignInResult> SignInWithRecoveryCodeAsync(ApplicationUser user, string code)
    {
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (!result.Succeeded && !result.IsLockedOut)
        {
            // Identity does not count failed recovery codes towards lockout; without this they could be guessed freely.
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                return Microsoft.AspNetCore.Identity.SignInResult.LockedOut;
            }
        }

        return result;
    }

    public sealed class CodeInput
    {
        [Required(ErrorMessage = "Enter the code.")]
        [StringLength(32, ErrorMessage = "That code is too long.")]
        public string Code { get; set; } = string.Empty;
    }
}
