using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// Makes each private_key_jwt client assertion single-use. After OpenIddict has checked an assertion's signature
/// against the client's registered keys, its lifetime, issuer and audience, this handler requires a "jti" and a
/// bounded lifetime, and records (client, jti) in OpenIddict's token table until the assertion expires; a second
/// request with the same pair is refused with invalid_client. The table's unique reference id settles races.
/// </summary>
public sealed class ClientAssertionReplayGuard(IOpenIddictTokenManager tokens, TimeProvider clock) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    /// <summary>The token type under which used assertion ids are kept (not a token OpenIddict ever accepts).</summary>
    public const string UsedAssertionType = "urn:supplierassure:used-client-assertion";

    /// <summary>
    /// The longest assertion lifetime accepted. It must stay well below the pruning threshold (a day), or a used
    /// assertion could be pruned while still unexpired and then be replayed.
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireClientAssertionPrincipal>()
            .UseScopedHandler<ClientAssertionReplayGuard>()
            // After every check OpenIddict makes of the assertion, so a forged one cannot use up a genuine jti.
            .SetOrder(new[]
            {
                OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order,
                OpenIddictServerHandlers.ValidateClientAssertionWellknownClaims.Descriptor.Order,
                OpenIddictServerHandlers.ValidateClientAssertionIssuer.Descriptor.Order,
            }.Max() + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.ClientAssertionPrincipal!;
        var jti = principal.GetClaim(Claims.JwtId);
        if (string.IsNullOrWhiteSpace(jti))
        {
            context.Reject(Errors.InvalidClient, "The client assertion must carry a unique \"jti\".");
            return;
        }

        var now = clock.GetUtcNow();
        var expires = principal.GetExpirationDate();
        if (expires is null || expires.Value - now > MaxLifetime)
        {
            context.Reject(Errors.InvalidClient, $"The client assertion must expire within {MaxLifetime.TotalMinutes:0} minutes.");
            return;
        }

        var clientId = principal.GetClaim(Claims.Subject) ?? context.ClientId ?? string.Empty;
        var referenceId = $"client-assertion:{clientId}:{jti}";
        if (await tokens.FindByReferenceIdAsync(referenceId, context.CancellationToken) is not null)
        {
            context.Reject(Errors.InvalidClient, "This client assertion has already been used.");
            return;
        }

        try
        {
            await tokens.CreateAsync(new OpenIddictTokenDescriptor
            {
                ReferenceId = referenceId,
                Type = UsedAssertionType,
                Status = Statuses.Redeemed,
                Subject = clientId,
                CreationDate = now,
                RedemptionDate = now,
                ExpirationDate = expires,
            }, context.CancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same assertion arrived twice at once and the other request stored it first.
            context.Reject(Errors.InvalidClient, "This client assertion has already been used.");
        }
    }
}
