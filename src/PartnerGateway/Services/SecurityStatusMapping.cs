using Google.Protobuf.WellKnownTypes;
using SupplierAssure.Core.Suppliers;
using WireAssuranceStatus = SupplierAssure.Partner.V1.AssuranceStatus;
using WireRiskRating = SupplierAssure.Partner.V1.RiskRating;
using WireSupplierTier = SupplierAssure.Partner.V1.SupplierTier;
using SecurityStatus = SupplierAssure.Partner.V1.SecurityStatus;
using SecurityStatusChange = SupplierAssure.Partner.V1.SecurityStatusChange;
using StatusChange = SupplierAssure.Core.Status.StatusChange;

namespace SupplierAssure.PartnerGateway.Services;

/// <summary>
/// Domain to wire. The enums are mapped value by value, not by number, so the contract stays stable when the
/// domain's enums change; a domain value without a wire value maps to UNSPECIFIED (a test keeps that from happening).
/// </summary>
internal static class SecurityStatusMapping
{
    public static SecurityStatus ToSecurityStatus(Supplier supplier, StatusDetails details)
    {
        ArgumentNullException.ThrowIfNull(supplier);
        ArgumentNullException.ThrowIfNull(details);
        var status = new SecurityStatus
        {
            SupplierId = supplier.Id.ToString(),
            LegalName = supplier.LegalName,
            CountryCode = supplier.CountryCode,
            AssuranceStatus = ToWire(supplier.AssuranceStatus),
            Tier = ToWire(supplier.Tier),
            RiskRating = ToWire(supplier.RiskRating),
            LastChangeSequence = supplier.LastStatusSequence,
        };
        if (supplier.OverallScore is { } score)
        {
            status.OverallScore = (double)score;
        }

        if (supplier.MaturityLevel is { } maturity)
        {
            status.MaturityLevel = maturity;
        }

        if (supplier.LastAssessedAt is { } assessed)
        {
            status.LastAssessed = Timestamp.FromDateTimeOffset(assessed);
        }

        if (supplier.ValidUntil is { } validUntil)
        {
            status.ValidUntil = Timestamp.FromDateTimeOffset(validUntil);
        }

        details.CopyTo(status);
        return status;
    }

    public static SecurityStatusChange ToSecurityStatusChange(StatusChange change, StatusDetails details)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(details);
        var wire = new SecurityStatusChange
        {
            Sequence = change.Sequence,
            SupplierId = change.SupplierId.ToString(),
            PreviousStatus = ToWire(change.PreviousStatus),
            NewStatus = ToWire(change.NewStatus),
            RiskRating = ToWire(change.RiskRating),
            OccurredAt = Timestamp.FromDateTimeOffset(change.OccurredAt),
        };
        if (change.OverallScore is { } score)
        {
            wire.OverallScore = (double)score;
        }

        details.CopyTo(wire);
        return wire;
    }

    public static WireAssuranceStatus ToWire(AssuranceStatus status) => status switch
    {
        AssuranceStatus.NotAssessed => WireAssuranceStatus.NotAssessed,
        AssuranceStatus.AssessmentInProgress => WireAssuranceStatus.AssessmentInProgress,
        AssuranceStatus.UnderReview => WireAssuranceStatus.UnderReview,
        AssuranceStatus.Approved => WireAssuranceStatus.Approved,
        AssuranceStatus.ConditionallyApproved => WireAssuranceStatus.ConditionallyApproved,
        AssuranceStatus.Rejected => WireAssuranceStatus.Rejected,
        AssuranceStatus.Suspended => WireAssuranceStatus.Suspended,
        _ => WireAssuranceStatus.Unspecified,
    };

    public static WireSupplierTier ToWire(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => WireSupplierTier.Critical,
        SupplierTier.Tier2Significant => WireSupplierTier.Significant,
        SupplierTier.Tier3Standard => WireSupplierTier.Standard,
        SupplierTier.Excluded => WireSupplierTier.Excluded,
        _ => WireSupplierTier.Unspecified,
    };

    public static WireRiskRating ToWire(RiskRating rating) => rating switch
    {
        RiskRating.Unrated => WireRiskRating.Unrated,
        RiskRating.Low => WireRiskRating.Low,
        RiskRating.Medium => WireRiskRating.Medium,
        RiskRating.High => WireRiskRating.High,
        RiskRating.Critical => WireRiskRating.Critical,
        _ => WireRiskRating.Unspecified,
    };
}
