using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>
/// Enrol an authenticator app (TOTP, shared key and otpauth URI), see and renew recovery codes, or switch the
/// second factor off where it is not required.
/// </summary>
public sealed class MfaModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOptions<MfaOptions> options,
    MfaRequirement requirement,
    PortalAudit audit) : PageModel
{
    private const int RecoveryCodeCount = 10;

    [BindProperty]
    public EnableInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public bool Required { get; set; }

    public bool Enrolled { get; private set; }
    public bool MayDisable { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string SharedKey { get; private set; } = string.Empty;
    public string AuthenticatorUri { get; private set; } = string.Empty;

    /// <summary>Shown once, straight after they are generated; only their hashes are kept.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(user);
            return Page();
        }

        var code = Input.Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError("Input.Code", "That code is not right. Check the time on your phone and enter the current code.");
            await LoadAsync(user);
            return Page();
        }

        Check(await users.SetTwoFactorEnabledAsync(user, true));
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await audit.RecordAsync(AuditKinds.MfaEnabled, user, HttpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }

        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await audit.RecordAsync(AuditKinds.RecoveryCodesRenewed, user, HttpContext.RequestAborted);
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (requirement.IsRequired && await IsOperatorStaffAsync(user))
        {
            ModelState.AddModelError(string.Empty, "Operator staff must keep a second factor.");
            await LoadAsync(user);
            return Page();
        }

        Check(await users.SetTwoFactorEnabledAsync(user, false));
        // A fresh key, so a copy of the old one cannot be used if the factor is switched on again.
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await audit.RecordAsync(AuditKinds.MfaDisabled, user, HttpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage();
    }

    private async Task LoadAsync(ApplicationUser user)
    {
        Enrolled = user.TwoFactorEnabled;
        MayDisable = !(requirement.IsRequired && await IsOperatorStaffAsync(user));
        if (Enrolled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key after reset.");
        }

        SharedKey = FormatKey(key);
        var issuer = Uri.EscapeDataString(options.Value.AuthenticatorIssuer);
        var account = Uri.EscapeDataString(user.Email ?? user.UserName ?? user.Id.ToString());
        AuthenticatorUri = $"otpauth://totp/{issuer}:{account}?secret={key}&issuer={issuer}&digits=6&period=30";
    }

    private async Task<bool> IsOperatorStaffAsync(ApplicationUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return roles.Any(Roles.OperatorStaff.Contains);
    }

    private static string FormatKey(string key)
    {
        // Groups of four, lower case: easier to type into a phone than one long upper-case run.
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return builder.ToString().TrimEnd().ToLowerInvariant();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Updating the second factor failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    public sealed class EnableInput
    {
        [Required(ErrorMessage = "Enter the code from your authenticator app.")]
        [StringLength(16, ErrorMessage = "That code is too long.")]
        public string Code { get; set; } = string.Empty;
    }
}
