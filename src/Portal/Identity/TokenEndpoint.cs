using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SupplierAssure.Core.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// The token endpoint's own logic, after OpenIddict has authenticated the client and checked that it may use
/// the grant and every requested scope. Partner tokens carry the client id as subject and the audiences of their scopes.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, SupplierAssureDbContext db, TimeProvider clock)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (!request.IsClientCredentialsGrantType())
        {
            return Forbid(Errors.UnsupportedGrantType, "This grant type is not supported here.");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId ?? string.Empty, context.RequestAborted);
        if (application is null)
        {
            return Forbid(Errors.InvalidClient, "The client is unknown.");
        }

        var clientId = await applications.GetClientIdAsync(application, context.RequestAborted) ?? string.Empty;

        // A partner client the operator has disabled gets nothing, whatever its credentials; an enabled one has the
        // time of this issue recorded (the administrator page shows it as last use).
        var partnerClient = await db.PartnerClients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new { c.DisabledAt }).SingleOrDefaultAsync(context.RequestAborted);
        if (partnerClient?.DisabledAt is not null)
        {
            return Forbid(Errors.InvalidClient, "This client has been disabled by the operator.");
        }

        if (partnerClient is not null)
        {
            var now = clock.GetUtcNow();
            await db.PartnerClients.Where(c => c.ClientId == clientId)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastTokenIssuedAt, now), context.RequestAborted);
        }
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetClaim(Claims.ClientId, clientId);
        identity.SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, context.RequestAborted));
        identity.SetScopes(request.GetScopes());

        var resources = new List<string>();
        await foreach (var resource in scopes.ListResourcesAsync(identity.GetScopes(), context.RequestAborted))
        {
            resources.Add(resource);
        }

        identity.SetResources(resources);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new Microsoft.AspNetCore.Authentication.AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
