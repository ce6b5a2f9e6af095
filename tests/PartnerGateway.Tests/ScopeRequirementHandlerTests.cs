using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Tests;

public sealed class ScopeRequirementHandlerTests
{
    [Theory]
    [InlineData(true, "partner.status.read")]
    [InlineData(true, "openid partner.status.read partner.incidents.write")]
    [InlineData(true, "partner.incidents.write", "partner.status.read")] // one claim per scope
    [InlineData(false, "partner.incidents.write")]
    [InlineData(false, "partner.status.read.all")] // a longer scope is not the scope
    [InlineData(false, "PARTNER.STATUS.READ")] // scopes are case-sensitive (RFC 6749 §3.3)
    [InlineData(false)]
    public async Task Handle_ScopeClaims_SucceedsOnlyWithTheExactScope(bool expected, params string[] scopeClaims)
    {
        var identity = new ClaimsIdentity(scopeClaims.Select(s => new Claim(PartnerClaims.Scope, s)), "test");
        var requirement = new ScopeRequirement(PartnerScopes.StatusRead);
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(identity), resource: null);

        await new ScopeRequirementHandler().HandleAsync(context);

        Assert.Equal(expected, context.HasSucceeded);
    }
}
