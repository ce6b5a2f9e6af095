using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>
/// Sends a password-reset link. The page answers the same whether or not the address has an account, so it cannot
/// be used to find out who has one.
/// </summary>
public sealed class ForgotPasswordModel(UserManager<ApplicationUser> users, IPortalEmailSender email) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
    [StringLength(256)]
    public string Email { get; set; } = string.Empty;

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is not null && user.Email is not null)
        {
            // A reset link also proves the address, so it doubles as the e-mail confirmation (see ResetPassword).
            var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = Url.Page("/Account/ResetPassword", pageHandler: null, values: new { email = user.Email, token }, protocol: Request.Scheme)
                ?? throw new InvalidOperationException("The reset page has no route.");
            await email.SendAsync(user.Email, "Reset your SupplierAssure password",
                $"Someone asked to reset the password of your SupplierAssure account.\n\nChoose a new password here (the link works once, for two hours):\n{link}\n\nIf it was not you, ignore this message.",
                cancellationToken);
        }

        Sent = true;
        return Page();
    }
}
