using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tiering;

/// <summary>How strongly one materiality factor applies: 0 negligible … 3 severe.</summary>
public enum FactorLevel
{
    Negligible = 0,
    Moderate = 1,
    High = 2,
    Severe = 3,
}

/// <summary>Goods that call for tighter custody whatever their value.</summary>
[Flags]
public enum SpecialCargo
{
    None = 0,
    HighValue = 1,
    Hazardous = 2,
    Controlled = 4,
}

/// <summary>The answers a person gives about how much the operator depends on a supplier.</summary>
public sealed record MaterialityFactors(
    FactorLevel ValueAtRisk,
    FactorLevel ThreatExposure,
    FactorLevel DisruptionConsequence,
    FactorLevel RegulatorySensitivity,
    /// <summary>How hard the supplier is to replace: Negligible = many alternatives, Severe = sole source.</summary>
    FactorLevel SubstitutionDifficulty,
    SpecialCargo SpecialCargo);

/// <summary>A recorded materiality assessment and the tier it proposed, with the reasons that drove it.</summary>
public sealed class MaterialityAssessment : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public FactorLevel ValueAtRisk { get; set; }
    public FactorLevel ThreatExposure { get; set; }
    public FactorLevel DisruptionConsequence { get; set; }
    public FactorLevel RegulatorySensitivity { get; set; }
    public FactorLevel SubstitutionDifficulty { get; set; }
    public SpecialCargo SpecialCargo { get; set; }
    public int Points { get; set; }
    public SupplierTier ProposedTier { get; set; }
    /// <summary>One reason per line, in the order they were found.</summary>
    public required string Reasons { get; set; }
    public int PolicyVersion { get; set; }
    public DateTimeOffset AssessedAt { get; set; }
    public Guid? AssessedBy { get; set; }

    public MaterialityFactors Factors => new(ValueAtRisk, ThreatExposure, DisruptionConsequence, RegulatorySensitivity, SubstitutionDifficulty, SpecialCargo);
}

public enum TierDecisionSource
{
    /// <summary>The proposal of a materiality assessment, accepted as it stands.</summary>
    Proposal,
    /// <summary>A person chose another tier and said why.</summary>
    Override,
}

/// <summary>One entry of a supplier's tier history. Never updated: a new decision is a new row.</summary>
public sealed class TierDecision : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public SupplierTier Tier { get; set; }
    public SupplierTier? PreviousTier { get; set; }
    public TierDecisionSource Source { get; set; }
    public Guid? MaterialityAssessmentId { get; set; }
    public string? Justification { get; set; }
    public int PolicyVersion { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public Guid? DecidedBy { get; set; }
}

/// <summary>A published version of the tier policy, kept as the JSON an administrator supplied.</summary>
public sealed class TierPolicyVersion
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public Guid? PublishedBy { get; set; }
}
