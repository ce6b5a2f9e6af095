using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using OpenIddict.Client.AspNetCore;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Federation;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>
/// Sign-in asks for the e-mail address first (home-realm discovery): an address whose domain a supplier
/// organisation has routed to a configured upstream provider goes to that provider; any other gets the password
/// form. A post carrying both fields (password managers, scripts) is routed the same way before any password check.
/// </summary>
public sealed partial class LoginModel(SignInManager<ApplicationUser> signIn, PortalAudit audit, HomeRealmDiscovery homeRealm, Microsoft.Extensions.Options.IOptions<FederationOptions> options, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>True once the address is known to sign in locally: the page shows the password field.</summary>
    public bool ShowPassword { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Step one: the e-mail address alone decides between the upstream provider and the password form.</summary>
    public async Task<IActionResult> OnPostContinueAsync()
    {
        ModelState.Remove($"{nameof(Input)}.{nameof(LoginInput.Password)}");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await homeRealm.FindProviderAsync(Input.Email, HttpContext.RequestAborted) is { } provider)
        {
            return ChallengeProvider(provider, Input.Email.Trim());
        }

        ShowPassword = true;
        return Page();
    }

    /// <summary>
    /// Sign-in at a named provider chosen by the person (the invitation page offers it to invitees whose domain is
    /// not routed anywhere); the callback still decides by the verified address whether anybody is signed in.
    /// </summary>
    public IActionResult OnPostProvider([FromForm] string? provider)
    {
        if (options.Value.Find(provider) is null)
        {
            ModelState.AddModelError(string.Empty, "That identity provider is not configured here. Enter your e-mail address instead.");
            return Page();
        }

        return ChallengeProvider(provider!, loginHint: null);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ShowPassword = true;
        if (ModelState.GetFieldValidationState($"{nameof(Input)}.{nameof(LoginInput.Email)}") == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Valid
            && await homeRealm.FindProviderAsync(Input.Email, HttpContext.RequestAborted) is { } provider)
        {
            // The organisation signs in at its own provider; a local password for such an address is never checked.
            return ChallengeProvider(provider, Input.Email.Trim());
        }

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
            // SignInManager.UserManager: the same scoped manager that just answered, so no second lookup service.
            var locked = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
            ModelState.AddModelError(string.Empty, locked is not null && AccountDisabling.IsDisabled(locked)
                ? "This account has been disabled by your organisation's supplier admin. Ask them to enable it again."
                : "This account is locked after too many failed attempts. Try again in 15 minutes.");
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

    private ChallengeResult ChallengeProvider(string provider, string? loginHint)
    {
        var items = new Dictionary<string, string?> { [OpenIddictClientAspNetCoreConstants.Properties.ProviderName] = provider };
        if (loginHint is not null)
        {
            // The provider can skip asking for the address again.
            items[OpenIddictClientAspNetCoreConstants.Properties.LoginHint] = loginHint;
        }

        var properties = new AuthenticationProperties(items)
        {
            // Only local paths survive the round trip (checked again at the callback).
            RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/",
        };
        return Challenge(properties, OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
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
