using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SupplierAssure.Core.Partners;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Auth;
using SupplierAssure.PartnerGateway.Streaming;
using DomainIdentifier = SupplierAssure.Core.Suppliers.SupplierIdentifier;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>
/// The partner exchange. Every rpc needs an authenticated partner client (class attribute) and its own scope
/// policy (method attribute), and reads suppliers only through <see cref="PartnerVisibility"/>.
/// </summary>
[Authorize]
public sealed partial class PartnerExchangeService(PartnerVisibility visibility, StatusWatch watch, PartnerAccessLog accessLog, IServiceProvider services) : PartnerExchange.PartnerExchangeBase
{
    private Core.Data.SupplierAssureDbContext Db => services.GetRequiredService<Core.Data.SupplierAssureDbContext>();

    /// <summary>Most identifiers one BatchGetSecurityStatus call may name (the contract promises 1,000).</summary>
    public const int MaxBatchSize = 1000;

    [Authorize(Policy = PartnerScopes.Policies.StatusRead)]
    public override async Task<SecurityStatus> GetSecurityStatus(GetSecurityStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var identifier = SupplierIdentifiers.Parse(request.Identifier, "identifier");
        var caller = PartnerCaller.From(context.GetHttpContext().User);

        // The call's token is cancelled when the client goes away or its deadline passes.
        var (supplier, details) = await visibility.FindStatusAsync(caller, identifier, SharingConsent.StatusScope, context.CancellationToken)
            ?? throw RpcErrors.SupplierNotFound();
        await accessLog.RecordAsync(caller, supplier.Id, nameof(GetSecurityStatus), context.CancellationToken);
        return SecurityStatusMapping.ToSecurityStatus(supplier, details);
    }

    [Authorize(Policy = PartnerScopes.Policies.StatusRead)]
    public override async Task<BatchGetSecurityStatusResponse> BatchGetSecurityStatus(BatchGetSecurityStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var requested = request.Identifiers;
        if (requested.Count is 0 or > MaxBatchSize)
        {
            throw RpcErrors.InvalidArgument(new FieldViolation("identifiers",
                $"Name between 1 and {MaxBatchSize} identifiers; this request has {requested.Count}."));
        }

        var caller = PartnerCaller.From(context.GetHttpContext().User);
        var parsed = new DomainIdentifier?[requested.Count];
        var invalid = new Google.Rpc.Status?[requested.Count];
        for (var i = 0; i < requested.Count; i++)
        {
            if (SupplierIdentifiers.TryParse(requested[i], $"identifiers[{i}]", out var identifier, out var violation))
            {
                parsed[i] = identifier;
            }
            else
            {
                invalid[i] = RpcErrors.InvalidArgumentStatus(violation);
            }
        }

        var valid = parsed.OfType<DomainIdentifier>().Distinct().ToList();
        var found = valid.Count == 0
            ? new Dictionary<DomainIdentifier, Core.Suppliers.Supplier>()
            : await visibility.FindSuppliersAsync(caller, valid, SharingConsent.StatusScope, context.CancellationToken);

        var details = await SecurityStatusDetails.LoadAsync(Db, [.. found.Values.Select(s => s.Id)], context.CancellationToken);
        var response = new BatchGetSecurityStatusResponse();
        for (var i = 0; i < requested.Count; i++)
        {
            var result = new SecurityStatusResult { Identifier = requested[i] };
            if (invalid[i] is { } error)
            {
                result.Error = error;
            }
            else if (found.TryGetValue(parsed[i]!.Value, out var supplier))
            {
                result.Status = SecurityStatusMapping.ToSecurityStatus(supplier, details[supplier.Id]);
                await accessLog.RecordAsync(caller, supplier.Id, nameof(BatchGetSecurityStatus), context.CancellationToken);
            }
            else
            {
                result.Error = RpcErrors.SupplierNotFoundStatus();
            }

            response.Results.Add(result);
        }

        return response;
    }

    [Authorize(Policy = PartnerScopes.Policies.StatusRead)]
    public override async Task WatchSecurityStatus(WatchSecurityStatusRequest request, IServerStreamWriter<SecurityStatusChange> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.AfterSequence < 0)
        {
            throw RpcErrors.InvalidArgument(new FieldViolation("after_sequence",
                "A feed sequence is 0 (from the beginning) or the sequence of the last change you received."));
        }

        var caller = PartnerCaller.From(context.GetHttpContext().User);
        // Headers now, not with the first change (which may be hours away): the client learns the stream is open.
        await context.WriteResponseHeadersAsync(new Metadata());
        await watch.RunAsync(caller, request.AfterSequence, responseStream, context.CancellationToken);
    }
}
