using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Identity.Federation;

/// <summary>Why a federated sign-in was refused; each gets its own explanation on the page and in the audit log.</summary>
public enum FederationRefusal
{
    ProviderError,
    InvalidResponse,
    MissingEmail,
    UnverifiedEmail,
    UnknownDomain,
    WrongProvider,
    AccountConflict,
    LockedOut,
}

public sealed record FederatedSignInOutcome(ApplicationUser? User, FederationRefusal? Refusal, string? Email, string? ReturnUrl);

/// <summary>Audit kinds of federation events (sign-in, provisioning, linking, domain claims).</summary>
public static class FederationAuditKinds
{
    public const string SignedIn = "sign-in.federated";
    public const string Refused = "sign-in.federated-refused";
    public const string AccountProvisioned = "user.provisioned-federated";
    public const string AccountLinked = "user.linked-federated";
    public const string DomainClaimed = "domain.claimed";
    public const string DomainReleased = "domain.released";
}

/// <summary>
/// Completes a sign-in at an upstream provider's callback. OpenIddict has already checked the state, PKCE, the
/// id_token's issuer, audience, signature, lifetime and nonce; this class decides who the person is here:
/// a linked account signs in; otherwise the first sign-in provisions or links an account only for a verified
/// address with an open invitation or in a domain that a supplier organisation has claimed and routed to this
/// provider. Everything else is refused, and nothing is written but the audit entry.
/// </summary>
// Note: a federated sign-in relies on the upstream provider's MFA; the Portal does not ask for its own second
// factor after it (the supplier's IdP owns that policy). Only supplier accounts are provisioned or linked here,
// so operator staff, for whom the Portal requires MFA, never sign in through this path.
public sealed partial class FederatedSignIn(
    SupplierAssureDbContext db,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    PortalAudit audit,
    TimeProvider clock,
    ILogger<FederatedSignIn> logger)
{
    /// <summary>The Identity login-provider name under which accounts are linked to a provider's subjects.</summary>
    public static string LoginProvider(string providerName) => "oidc:" + providerName;

    public async Task<FederatedSignInOutcome> CompleteAsync(string providerName, AuthenticateResult result, bool providerReportedError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var returnUrl = result.Properties?.RedirectUri;
        if (!result.Succeeded || result.Principal is null)
        {
            string? error = null, description = null;
            result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.Error, out error);
            result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.ErrorDescription, out description);
            LogRejected(providerName, error ?? "none", description ?? result.Failure?.Message ?? "none");
            return await RefuseAsync(providerName, providerReportedError ? FederationRefusal.ProviderError : FederationRefusal.InvalidResponse, null, $"error:{error}", cancellationToken);
        }

        // Note: OpenIddict 7.8's client checked the id_token's issuer, audience, signature and nonce here but let an
        // expired backchannel id_token through (FederationTests proves both), so the lifetime is checked again from
        // the token it validated. A small skew allows for clocks that differ by seconds.
        var idToken = result.Properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.BackchannelIdentityToken)
            ?? result.Properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.FrontchannelIdentityToken);
        if (idToken is null || !IsCurrent(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(idToken), clock.GetUtcNow()))
        {
            return await RefuseAsync(providerName, FederationRefusal.InvalidResponse, null, "error:invalid_token (id_token missing or outside its lifetime)", cancellationToken);
        }

        var principal = result.Principal;
        // OpenIddict merges the id_token's claims with the userinfo response's, so a provider that sends the e-mail
        // (or the subject) in both gives two equal claims. Equal copies count once; different values are refused.
        // An address and a boolean compare without case (a JSON true can come back as "true" or "True").
        var ambiguous = new[] { Claims.Private.ProviderName, Claims.Subject, Claims.Email, Claims.EmailVerified, Claims.Name }
            .FirstOrDefault(type => principal.FindAll(type).Select(c => c.Value.Trim())
                .Distinct(type is Claims.Email or Claims.EmailVerified ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).Skip(1).Any());
        if (ambiguous is not null)
        {
            return await RefuseAsync(providerName, FederationRefusal.InvalidResponse, null, $"conflicting {ambiguous} claims", cancellationToken);
        }

        var registered = principal.FindFirst(Claims.Private.ProviderName)?.Value;
        var subject = principal.FindFirst(Claims.Subject)?.Value;
        if (!string.Equals(registered, providerName, StringComparison.Ordinal) || string.IsNullOrEmpty(subject))
        {
            // The state token binds the answer to the provider it was sent to; a mismatch is a forged or mixed-up callback.
            return await RefuseAsync(providerName, FederationRefusal.InvalidResponse, null, "provider or subject mismatch", cancellationToken);
        }

        var email = principal.FindFirst(Claims.Email)?.Value.Trim();
        if (string.IsNullOrEmpty(email) || HomeRealmDiscovery.DomainOf(email) is not { } domain)
        {
            return await RefuseAsync(providerName, FederationRefusal.MissingEmail, null, "no e-mail claim", cancellationToken);
        }

        // A JSON boolean arrives as "true"; some providers send the string, which reads the same.
        if (!bool.TryParse(principal.FindFirst(Claims.EmailVerified)?.Value, out var verified) || !verified)
        {
            return await RefuseAsync(providerName, FederationRefusal.UnverifiedEmail, email, "email_verified is not true", cancellationToken);
        }

        var loginProvider = LoginProvider(providerName);
        var linked = await users.FindByLoginAsync(loginProvider, subject);
        if (linked is not null)
        {
            return await SignInAsync(linked, providerName, email, returnUrl, cancellationToken);
        }

        return await FirstSignInAsync(providerName, subject, email, domain, DisplayNameOf(principal, email), returnUrl, cancellationToken);
    }

    private async Task<FederatedSignInOutcome> FirstSignInAsync(
        string providerName, string subject, string email, string domain, string displayName, string? returnUrl, CancellationToken cancellationToken)
    {
        var claim = await db.Set<SupplierDomain>().AsNoTracking().SingleOrDefaultAsync(d => d.Domain == domain, cancellationToken);
        if (claim is not null && !string.Equals(claim.ProviderName, providerName, StringComparison.Ordinal))
        {
            // Note: a provider is trusted only for the domains routed to it; otherwise one organisation's IdP could
            // assert addresses of another organisation's claimed domain and be given its accounts.
            return await RefuseAsync(providerName, FederationRefusal.WrongProvider, email, $"domain {domain} routes to {claim.ProviderName ?? "no provider"}", cancellationToken);
        }

        var now = clock.GetUtcNow();
        var lowered = email.ToLowerInvariant();
        var openInvitations = await db.Set<Invitation>().AsNoTracking()
            .Where(i => i.Email.ToLower() == lowered && i.AcceptedAt == null)
            .ToListAsync(cancellationToken);
        // SQLite cannot compare DateTimeOffset in SQL; the open invitations of one address are few.
        var invitation = openInvitations.Where(i => i.ExpiresAt > now).OrderByDescending(i => i.CreatedAt).FirstOrDefault();

        Guid? supplierId = invitation?.SupplierId ?? claim?.SupplierId;
        if (supplierId is null)
        {
            return await RefuseAsync(providerName, FederationRefusal.UnknownDomain, email, $"domain {domain} unclaimed, no open invitation", cancellationToken);
        }

        var existing = await users.FindByEmailAsync(email);
        if (existing is not null && existing.SupplierId != supplierId)
        {
            return await RefuseAsync(providerName, FederationRefusal.AccountConflict, email, $"existing account user:{existing.Id:D} belongs elsewhere", cancellationToken);
        }

        var user = existing ?? new ApplicationUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            // The upstream provider verified the address (email_verified above).
            EmailConfirmed = true,
            DisplayName = displayName,
            SupplierId = supplierId,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (invitation is not null)
            {
                // Claim the invitation conditionally, so it is consumed once even against a simultaneous acceptance.
                var consumed = await db.Set<Invitation>()
                    .Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedUserId, user.Id), cancellationToken);
                if (consumed != 1 && claim is null)
                {
                    return await RefuseAsync(providerName, FederationRefusal.UnknownDomain, email, "invitation used meanwhile", cancellationToken);
                }
            }

            if (existing is null)
            {
                Ensure(await users.CreateAsync(user), "creating the account");
                // The least-privileged supplier role whatever the route; a supplier admin can raise it.
                Ensure(await users.AddToRoleAsync(user, Roles.SupplierContributor), "granting the contributor role");
            }
            else if (!existing.EmailConfirmed)
            {
                existing.EmailConfirmed = true;
                Ensure(await users.UpdateAsync(existing), "confirming the address");
            }

            Ensure(await users.AddLoginAsync(user, new UserLoginInfo(LoginProvider(providerName), subject, providerName)), "linking the provider's subject");
            await transaction.CommitAsync(cancellationToken);
        }

        var route = invitation is not null ? $"invitation:{invitation.Id:D}" : $"domain:{domain}";
        await audit.RecordAsync(
            existing is null ? FederationAuditKinds.AccountProvisioned : FederationAuditKinds.AccountLinked,
            user,
            cancellationToken,
            $"provider:{providerName} via {route}" + (existing is null ? $" as {Roles.SupplierContributor}" : string.Empty));
        return await SignInAsync(user, providerName, email, returnUrl, cancellationToken);
    }

    private async Task<FederatedSignInOutcome> SignInAsync(ApplicationUser user, string providerName, string email, string? returnUrl, CancellationToken cancellationToken)
    {
        if (user.SupplierId is null || await users.IsLockedOutAsync(user))
        {
            // Operator staff never sign in through a supplier's provider; locked accounts stay locked.
            return await RefuseAsync(providerName, user.SupplierId is null ? FederationRefusal.AccountConflict : FederationRefusal.LockedOut, email, $"user:{user.Id:D}", cancellationToken);
        }

        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: LoginProvider(providerName));
        await audit.RecordAsync(FederationAuditKinds.SignedIn, user, cancellationToken, $"provider:{providerName}");
        return new FederatedSignInOutcome(user, null, email, returnUrl);
    }

    private async Task<FederatedSignInOutcome> RefuseAsync(string providerName, FederationRefusal refusal, string? email, string details, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(FederationAuditKinds.Refused, $"provider:{providerName}", supplierId: null, cancellationToken,
            $"{refusal}: {details}" + (email is null ? string.Empty : $" ({email})"));
        return new FederatedSignInOutcome(null, refusal, email, null);
    }

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private static bool IsCurrent(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token, DateTimeOffset now) =>
        token.ValidTo != DateTime.MinValue
        && new DateTimeOffset(token.ValidTo, TimeSpan.Zero) > now - ClockSkew
        && (token.ValidFrom == DateTime.MinValue || new DateTimeOffset(token.ValidFrom, TimeSpan.Zero) <= now + ClockSkew);

    private static string DisplayNameOf(System.Security.Claims.ClaimsPrincipal principal, string email)
    {
        var name = principal.FindFirst(Claims.Name)?.Value.Trim();
        return string.IsNullOrEmpty(name) ? email : name[..Math.Min(name.Length, 200)];
    }

    private static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            // Thrown inside the transaction, which rolls back: no half-made account.
            throw new InvalidOperationException($"Federated provisioning failed {what}: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Federated sign-in at provider {Provider} was rejected: {Error} ({Description}).")]
    private partial void LogRejected(string provider, string error, string description);
}
