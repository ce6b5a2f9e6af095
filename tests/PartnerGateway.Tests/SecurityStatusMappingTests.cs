using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.PartnerGateway.Services;

namespace SupplierAssure.PartnerGateway.Tests;

public sealed class SecurityStatusMappingTests
{
    [Fact]
    public void ToWire_EveryAssuranceStatus_HasItsOwnWireValue()
    {
        var wire = Enum.GetValues<AssuranceStatus>().Select(SecurityStatusMapping.ToWire).ToList();

        Assert.DoesNotContain(Partner.V1.AssuranceStatus.Unspecified, wire);
        Assert.Equal(wire.Count, wire.Distinct().Count());
    }

    [Fact]
    public void ToWire_EveryTier_HasItsOwnWireValue()
    {
        var wire = Enum.GetValues<SupplierTier>().Select(SecurityStatusMapping.ToWire).ToList();

        Assert.DoesNotContain(Partner.V1.SupplierTier.Unspecified, wire);
        Assert.Equal(wire.Count, wire.Distinct().Count());
    }

    [Fact]
    public void ToWire_EveryRiskRating_HasItsOwnWireValue()
    {
        var wire = Enum.GetValues<RiskRating>().Select(SecurityStatusMapping.ToWire).ToList();

        Assert.DoesNotContain(Partner.V1.RiskRating.Unspecified, wire);
        Assert.Equal(wire.Count, wire.Distinct().Count());
    }

    [Fact]
    public void ToSecurityStatus_AssessedSupplier_CarriesScoreMaturityAndDates()
    {
        var assessed = new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.FromHours(1));
        var supplier = new Supplier
        {
            Id = Guid.Parse("11111111-2222-3333-4444-555555555555"),
            LegalName = "Example Haulage BV",
            CountryCode = "NL",
            Tier = SupplierTier.Tier1Critical,
            AssuranceStatus = AssuranceStatus.ConditionallyApproved,
            RiskRating = RiskRating.Medium,
            OverallScore = 72.5m,
            MaturityLevel = 3,
            LastAssessedAt = assessed,
            ValidUntil = assessed.AddYears(1),
            LastStatusSequence = 42,
        };

        var status = SecurityStatusMapping.ToSecurityStatus(supplier, StatusDetails.None);

        Assert.Equal("11111111-2222-3333-4444-555555555555", status.SupplierId);
        Assert.Equal("Example Haulage BV", status.LegalName);
        Assert.Equal("NL", status.CountryCode);
        Assert.Equal(Partner.V1.SupplierTier.Critical, status.Tier);
        Assert.Equal(Partner.V1.AssuranceStatus.ConditionallyApproved, status.AssuranceStatus);
        Assert.Equal(Partner.V1.RiskRating.Medium, status.RiskRating);
        Assert.True(status.HasOverallScore);
        Assert.Equal(72.5, status.OverallScore);
        Assert.Equal(3, status.MaturityLevel);
        Assert.Equal(Timestamp.FromDateTimeOffset(assessed), status.LastAssessed);
        Assert.Equal(assessed.AddYears(1), status.ValidUntil.ToDateTimeOffset());
        Assert.Equal(42, status.LastChangeSequence);
    }

    [Fact]
    public void ToSecurityStatus_NeverAssessedSupplier_LeavesOptionalFieldsAbsent()
    {
        var supplier = new Supplier { Id = Guid.NewGuid(), LegalName = "New Co", CountryCode = "FR" };

        var status = SecurityStatusMapping.ToSecurityStatus(supplier, StatusDetails.None);

        Assert.False(status.HasOverallScore);
        Assert.False(status.HasMaturityLevel);
        Assert.Null(status.LastAssessed);
        Assert.Null(status.ValidUntil);
        Assert.Equal(0, status.LastChangeSequence);
    }
}
