using Microsoft.AspNetCore.Authorization;

namespace SupplierAssure.PartnerGateway.Auth;

/// <summary>The caller's access token must have been granted <see cref="Scope"/>.</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

/// <summary>
/// Checks <see cref="ScopeRequirement"/> against the token's "scope" claim. RFC 9068 makes it one space-separated
/// string, but some issuers emit one claim per scope (a JSON array), so both forms are read.
/// </summary>
public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        foreach (var claim in context.User.FindAll(PartnerClaims.Scope))
        {
            foreach (var granted in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(granted, requirement.Scope, StringComparison.Ordinal))
                {
                    context.Succeed(requirement);
                    return Task.CompletedTask;
                }
            }
        }

        return Task.CompletedTask;
    }
}
