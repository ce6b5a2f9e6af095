using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Account;

public sealed partial class LoginModel(SignInManager<ApplicationUser> signIn, PortalAudit audit, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        var kind = result.Succeeded ? AuditKinds.SignedIn
            : result.IsLockedOut ? AuditKinds.LockedOut
            : result.RequiresTwoFactor ? null
            : AuditKinds.SignInFailed;
        if (kind is not null)
        {
            // The typed address, not the password; an unknown address is recorded as typed, which is what an
            // investigator of a guessing attack needs.
            await audit.RecordAsync(kind, "login:" + Input.Email.Trim(), supplierId: null, HttpContext.RequestAborted);
        }

        if (result.Succeeded)
        {
            // Only local paths: an absolute ReturnUrl would make the sign-in page an open redirect.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        if (result.IsLockedOut)
        {
            LogLockedOut();
            ModelState.AddModelError(string.Empty, "This account is locked after too many failed attempts. Try again in 15 minutes.");
        }
        else if (result.RequiresTwoFactor)
        {
            // The password was right; Identity holds the half-signed-in user in its two-factor cookie.
            return RedirectToPage("/Account/LoginWith2fa", new { ReturnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/" });
        }
        else
        {
            // One message for unknown e-mail, wrong password and unconfirmed address (Identity answers NotAllowed
            // before it checks the password), so the form does not reveal which accounts exist.
            ModelState.AddModelError(string.Empty, "The e-mail address or password is not right, or the address is not confirmed yet.");
        }

        return Page();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in attempt hit a locked-out account.")]
    private partial void LogLockedOut();

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(256)]
        [DataType(DataType.Password)]
        public string Password { get; set; } = string.Empty;
    }
}
