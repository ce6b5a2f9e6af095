using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SupplierAssure.Core.Partners;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Auth;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>
/// The partner exchange. Every rpc needs an authenticated partner client (class attribute) and its own scope
/// policy (method attribute), and reads suppliers only through <see cref="PartnerVisibility"/>.
/// </summary>
[Authorize]
public sealed class PartnerExchangeService(PartnerVisibility visibility) : PartnerExchange.PartnerExchangeBase
{
    [Authorize(Policy = PartnerScopes.Policies.StatusRead)]
    public override async Task<SecurityStatus> GetSecurityStatus(GetSecurityStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var identifier = SupplierIdentifiers.Parse(request.Identifier, "identifier");
        var caller = PartnerCaller.From(context.GetHttpContext().User);

        // The call's token is cancelled when the client goes away or its deadline passes.
        var supplier = await visibility.FindSupplierAsync(caller, identifier, SharingConsent.StatusScope, context.CancellationToken)
            ?? throw RpcErrors.SupplierNotFound();
        return SecurityStatusMapping.ToSecurityStatus(supplier);
    }
}
