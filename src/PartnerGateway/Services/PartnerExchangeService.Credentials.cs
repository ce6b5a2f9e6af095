using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Partner.V1;
using SupplierAssure.PartnerGateway.Auth;
using DomainCredential = SupplierAssure.Core.Credentials.Credential;
using DomainCredentialType = SupplierAssure.Core.Credentials.CredentialType;
using WireCredential = SupplierAssure.Partner.V1.Credential;
using WireCredentialType = SupplierAssure.Partner.V1.CredentialType;

namespace SupplierAssure.PartnerGateway.Services;

// Credentials and incidents: writes go through Core's use cases, which own validation and idempotency; this part
// turns wire messages into their commands and outcomes into statuses. Handlers are resolved per call, so the
// read-only rpcs do not build them.
public sealed partial class PartnerExchangeService
{
    [Authorize(Policy = PartnerScopes.Policies.CredentialsWrite)]
    public override async Task<WireCredential> SubmitCredential(SubmitCredentialRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (caller, supplier) = await FindVisibleAsync(request.Supplier, "supplier", context);
        var command = new SubmitCredentialCommand(
            supplier.Id, ToDomain(request.Type), request.Number, request.Level, request.Issuer,
            request.ValidFrom?.ToDateTimeOffset(), request.ValidUntil?.ToDateTimeOffset(), request.Scope, request.EvidenceReference);
        var outcome = await services.GetRequiredService<SubmitCredentialHandler>()
            .HandleAsync(caller.ClientId, request.IdempotencyKey, command, context.CancellationToken);
        return outcome.Succeeded ? ToWire(outcome.Value!) : throw RpcErrors.FromOutcome(outcome, RpcErrors.SupplierNotFound);
    }

    [Authorize(Policy = PartnerScopes.Policies.CredentialsWrite)]
    public override async Task<WireCredential> VerifyCredential(VerifyCredentialRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!Guid.TryParse(request.CredentialId, out var credentialId))
        {
            throw RpcErrors.InvalidArgument(new FieldViolation("credential_id", "A credential id is the UUID SubmitCredential or ListCredentials returned."));
        }

        var caller = PartnerCaller.From(context.GetHttpContext().User);
        var db = services.GetRequiredService<SupplierAssureDbContext>();
        var supplierId = await db.Credentials.AsNoTracking().Where(c => c.Id == credentialId).Select(c => (Guid?)c.SupplierId)
            .SingleOrDefaultAsync(context.CancellationToken);
        var holder = supplierId is { } id
            ? await visibility.FindSupplierAsync(caller, new Core.Suppliers.SupplierIdentifier(SupplierIdentifierKind.InternalId, id.ToString()), SharingConsent.StatusScope, context.CancellationToken)
            : null;
        if (holder is null)
        {
            throw RpcErrors.CredentialNotFound();
        }

        try
        {
            var outcome = await services.GetRequiredService<VerifyCredentialHandler>()
                .HandleAsync(caller.ClientId, request.IdempotencyKey, credentialId, holder, context.CancellationToken);
            return outcome.Succeeded ? ToWire(outcome.Value!) : throw RpcErrors.FromOutcome(outcome, RpcErrors.CredentialNotFound);
        }
        catch (RegistryUnavailableException ex)
        {
            // Logged by the registry adapter with the cause; the partner learns only that it may retry.
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message + " The credential is unchanged; try again later."));
        }
    }

    [Authorize(Policy = PartnerScopes.Policies.CredentialsRead)]
    public override async Task<ListCredentialsResponse> ListCredentials(ListCredentialsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (caller, supplier) = await FindVisibleAsync(request.Supplier, "supplier", context);
        await accessLog.RecordAsync(caller, supplier.Id, nameof(ListCredentials), context.CancellationToken);
        var credentials = await services.GetRequiredService<SupplierAssureDbContext>().Credentials.AsNoTracking()
            .Where(c => c.SupplierId == supplier.Id)
            .OrderByDescending(c => c.SubmittedAt)
            .ToListAsync(context.CancellationToken);
        var response = new ListCredentialsResponse();
        response.Credentials.AddRange(credentials.Select(ToWire));
        return response;
    }

    [Authorize(Policy = PartnerScopes.Policies.IncidentsWrite)]
    public override async Task<ReportSecurityIncidentResponse> ReportSecurityIncident(ReportSecurityIncidentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (caller, supplier) = await FindVisibleAsync(request.Supplier, "supplier", context);
        var command = new ReportSecurityIncidentCommand(
            supplier.Id, ToDomain(request.Category), ToDomain(request.Severity), request.Summary, request.ShipmentReference,
            request.OccurredAt?.ToDateTimeOffset());
        var outcome = await services.GetRequiredService<ReportSecurityIncident>()
            .HandleAsync(caller.ClientId, request.IdempotencyKey, command, context.CancellationToken);
        if (!outcome.Succeeded)
        {
            throw RpcErrors.FromOutcome(outcome, RpcErrors.SupplierNotFound);
        }

        return new ReportSecurityIncidentResponse
        {
            FindingId = outcome.Value!.Id.ToString(),
            ReportedAt = Timestamp.FromDateTimeOffset(outcome.Value.ReportedAt),
        };
    }

    // Note: writes about a supplier need the same live "status" consent as reading it. A partner that may not see a
    // supplier must not learn it exists by writing to it, and suppliers grant one consent per partner today.
    private async Task<(PartnerCaller Caller, Supplier Supplier)> FindVisibleAsync(Partner.V1.SupplierIdentifier? wire, string field, ServerCallContext context)
    {
        var identifier = SupplierIdentifiers.Parse(wire, field);
        var caller = PartnerCaller.From(context.GetHttpContext().User);
        var supplier = await visibility.FindSupplierAsync(caller, identifier, SharingConsent.StatusScope, context.CancellationToken)
            ?? throw RpcErrors.SupplierNotFound();
        return (caller, supplier);
    }

    // Unknown wire values become a value outside the domain enum, which the use case rejects naming the field.
    private static DomainCredentialType ToDomain(WireCredentialType type) => type switch
    {
        WireCredentialType.EuAeo => DomainCredentialType.EuAeo,
        WireCredentialType.CTpat => DomainCredentialType.CTpat,
        WireCredentialType.TapaFsr => DomainCredentialType.TapaFsr,
        WireCredentialType.TapaTsr => DomainCredentialType.TapaTsr,
        WireCredentialType.Iso28000 => DomainCredentialType.Iso28000,
        WireCredentialType.IsoIec27001 => DomainCredentialType.IsoIec27001,
        WireCredentialType.Eori => DomainCredentialType.Eori,
        _ => 0,
    };

    private static Core.Incidents.IncidentCategory ToDomain(Partner.V1.IncidentCategory category) => category switch
    {
        Partner.V1.IncidentCategory.Theft => Core.Incidents.IncidentCategory.Theft,
        Partner.V1.IncidentCategory.Tampering => Core.Incidents.IncidentCategory.Tampering,
        Partner.V1.IncidentCategory.SealBreach => Core.Incidents.IncidentCategory.SealBreach,
        Partner.V1.IncidentCategory.Cyber => Core.Incidents.IncidentCategory.Cyber,
        Partner.V1.IncidentCategory.Other => Core.Incidents.IncidentCategory.Other,
        _ => 0,
    };

    private static FindingGrade ToDomain(IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.Minor => FindingGrade.Minor,
        IncidentSeverity.Major => FindingGrade.Major,
        IncidentSeverity.Critical => FindingGrade.Critical,
        _ => 0,
    };

    internal static WireCredential ToWire(DomainCredential credential)
    {
        var wire = new WireCredential
        {
            CredentialId = credential.Id.ToString(),
            SupplierId = credential.SupplierId.ToString(),
            Type = ToWire(credential.Type),
            Number = credential.Number,
            Level = credential.Level ?? string.Empty,
            Issuer = credential.Issuer ?? string.Empty,
            Scope = credential.Scope ?? string.Empty,
            EvidenceReference = credential.EvidenceReference ?? string.Empty,
            VerificationState = ToWire(credential.VerificationState),
            VerificationSource = credential.VerificationSource ?? string.Empty,
            VerificationNote = credential.VerificationNote ?? string.Empty,
            SubmittedAt = Timestamp.FromDateTimeOffset(credential.SubmittedAt),
            ValidFrom = ToTimestamp(credential.ValidFrom),
            ValidUntil = ToTimestamp(credential.ValidUntil),
            VerifiedAt = ToTimestamp(credential.VerifiedAt),
        };
        return wire;
    }

    internal static WireCredentialType ToWire(DomainCredentialType type) => type switch
    {
        DomainCredentialType.EuAeo => WireCredentialType.EuAeo,
        DomainCredentialType.CTpat => WireCredentialType.CTpat,
        DomainCredentialType.TapaFsr => WireCredentialType.TapaFsr,
        DomainCredentialType.TapaTsr => WireCredentialType.TapaTsr,
        DomainCredentialType.Iso28000 => WireCredentialType.Iso28000,
        DomainCredentialType.IsoIec27001 => WireCredentialType.IsoIec27001,
        DomainCredentialType.Eori => WireCredentialType.Eori,
        _ => WireCredentialType.Unspecified,
    };

    internal static Partner.V1.VerificationState ToWire(Core.Credentials.VerificationState state) => state switch
    {
        Core.Credentials.VerificationState.Unverified => Partner.V1.VerificationState.Unverified,
        Core.Credentials.VerificationState.PendingReview => Partner.V1.VerificationState.PendingReview,
        Core.Credentials.VerificationState.Verified => Partner.V1.VerificationState.Verified,
        Core.Credentials.VerificationState.NotFoundInRegistry => Partner.V1.VerificationState.NotFoundInRegistry,
        Core.Credentials.VerificationState.Rejected => Partner.V1.VerificationState.Rejected,
        _ => Partner.V1.VerificationState.Unspecified,
    };

    private static Timestamp? ToTimestamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;
}
