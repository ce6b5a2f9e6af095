using System.Security.Claims;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Tenancy;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// Derives the tenant scope from the signed-in user: a supplier user sees their own organisation, operator
/// staff see every supplier, and everything else (anonymous, no request) sees nothing.
/// </summary>
internal sealed class HttpTenantScopeAccessor(IHttpContextAccessor http) : ITenantScopeAccessor
{
    public TenantScope Current => For(http.HttpContext?.User);

    public static TenantScope For(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return TenantScope.Nobody;
        }

        if (Guid.TryParse(user.FindFirstValue(PortalClaims.SupplierId), out var supplierId))
        {
            return TenantScope.ForSupplier(supplierId);
        }

        // A procurement system calling the REST API with the operator's read or write scope works for the operator.
        if (OpenIddict.Abstractions.OpenIddictExtensions.HasScope(user, Api.ApiScopes.ProcurementRead)
            || OpenIddict.Abstractions.OpenIddictExtensions.HasScope(user, Api.ApiScopes.ProcurementWrite)
            || OpenIddict.Abstractions.OpenIddictExtensions.HasScope(user, Api.ApiScopes.RiskSignOff))
        {
            return TenantScope.Operator;
        }

        return Roles.OperatorStaff.Any(user.IsInRole) ? TenantScope.Operator : TenantScope.Nobody;
    }
}
