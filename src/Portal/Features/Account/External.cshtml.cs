using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenIddict.Client.AspNetCore;
using SupplierAssure.Portal.Identity.Federation;

namespace SupplierAssure.Portal.Features.Account;

/// <summary>
/// The callback of every upstream provider (/signin-oidc/{provider}). OpenIddict validates the answer (state,
/// PKCE, id_token); <see cref="FederatedSignIn"/> decides whether it signs somebody in. A refusal renders this page
/// with its reason and status 403; no account is created.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken] // Providers answering with response_mode=form_post cannot know our anti-forgery token; the state token binds the answer.
public sealed class ExternalModel(IOptions<FederationOptions> options, FederatedSignIn federation) : PageModel
{
    public FederationRefusal? Refusal { get; private set; }
    public string? Email { get; private set; }
    public string ProviderDisplayName { get; private set; } = string.Empty;

    public Task<IActionResult> OnGetAsync(string provider, CancellationToken cancellationToken) => CompleteAsync(provider, cancellationToken);

    public Task<IActionResult> OnPostAsync(string provider, CancellationToken cancellationToken) => CompleteAsync(provider, cancellationToken);

    private async Task<IActionResult> CompleteAsync(string provider, CancellationToken cancellationToken)
    {
        var configured = options.Value.Find(provider);
        if (configured is null)
        {
            return NotFound();
        }

        ProviderDisplayName = configured.DisplayName ?? provider;
        var result = await HttpContext.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        var providerReportedError = Request.Query.ContainsKey("error") || (Request.HasFormContentType && Request.Form.ContainsKey("error"));
        var outcome = await federation.CompleteAsync(provider, result, providerReportedError, cancellationToken);
        if (outcome.User is not null)
        {
            // Only local paths: the return URL travelled through the provider inside the protected state token,
            // but a local check costs nothing.
            return LocalRedirect(Url.IsLocalUrl(outcome.ReturnUrl) ? outcome.ReturnUrl! : "/");
        }

        Refusal = outcome.Refusal;
        Email = outcome.Email;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
