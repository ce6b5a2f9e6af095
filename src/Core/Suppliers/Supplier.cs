using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Suppliers;

/// <summary>How much the operator depends on a supplier; decides questionnaire depth and validation level.</summary>
public enum SupplierTier
{
    Tier1Critical = 1,
    Tier2Significant = 2,
    Tier3Standard = 3,
    Excluded = 9,
}

/// <summary>What a supplier does in the supply chain; decides which conditional questions it is asked.</summary>
[Flags]
public enum SupplyChainRoles
{
    None = 0,
    Manufacturer = 1,
    Warehouse = 2,
    Carrier = 4,
    Forwarder = 8,
    Port = 16,
    Logistics = 32,
    CustomsBroker = 64,
}

public enum SupplierLifecycle
{
    Invited,
    Onboarding,
    Active,
    Suspended,
    Offboarded,
}

/// <summary>The supplier's assurance position as partners and procurement see it.</summary>
public enum AssuranceStatus
{
    NotAssessed,
    AssessmentInProgress,
    UnderReview,
    Approved,
    ConditionallyApproved,
    Rejected,
    Suspended,
}

public enum RiskRating
{
    Unrated,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>An external organisation that supplies the operator. Also the tenant boundary for supplier users.</summary>
public sealed class Supplier : IVersioned
{
    public Guid Id { get; set; }
    public required string LegalName { get; set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string CountryCode { get; set; }
    public string? Lei { get; set; }
    public string? Duns { get; set; }
    public string? Eori { get; set; }
    public string? Vat { get; set; }
    public SupplierTier Tier { get; set; } = SupplierTier.Tier3Standard;
    public SupplyChainRoles Roles { get; set; }
    public SupplierLifecycle Lifecycle { get; set; } = SupplierLifecycle.Invited;
    public AssuranceStatus AssuranceStatus { get; set; } = AssuranceStatus.NotAssessed;
    public decimal? OverallScore { get; set; }
    public int? MaturityLevel { get; set; }
    public RiskRating RiskRating { get; set; } = RiskRating.Unrated;
    public DateTimeOffset? LastAssessedAt { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    /// <summary>Sequence of the last row this supplier has in the status change feed (0 when none).</summary>
    public long LastStatusSequence { get; set; }
    public long Version { get; set; }
}

/// <summary>The buying organisation that runs this installation.</summary>
public sealed class OperatorOrganisation
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
}
