using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>Choose a new password from an e-mailed link; a tampered, used or expired link gets a clear message.</summary>
public sealed class ResetPasswordModel(UserManager<ApplicationUser> users, PortalAudit audit) : PageModel
{
    private const string BadLink = "This reset link is not valid: it may have expired, been used already or been changed. Ask for a new one.";

    [BindProperty(SupportsGet = true)]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(256, MinimumLength = 12, ErrorMessage = "Use at least 12 characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    public bool Done { get; private set; }

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = string.IsNullOrWhiteSpace(Email) ? null : await users.FindByEmailAsync(Email);
        var token = Decode(Token);
        if (user is null || token is null)
        {
            ModelState.AddModelError(string.Empty, BadLink);
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, Password);
        if (!result.Succeeded)
        {
            // Identity reports a bad token as InvalidToken; password-policy failures are worth showing as they are.
            var invalidToken = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
            foreach (var error in invalidToken ? [new IdentityError { Description = BadLink }] : result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        if (!user.EmailConfirmed)
        {
            // The link reached this mailbox, which is what confirming the address means.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }

        // A reset also ends a lockout after failed attempts: the mailbox owner has proven who they are. It does not
        // end a supplier admin's disabling of the account, which is a decision about the person, not the password.
        if (!AccountDisabling.IsDisabled(user))
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }
        await audit.RecordAsync(AuditKinds.PasswordReset, user, HttpContext.RequestAborted);
        Done = true;
        return Page();
    }

    internal static string? Decode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
        }
        catch (FormatException)
        {
            // A mangled link: treated like any other invalid token.
            return null;
        }
    }
}
