using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Portal.Features.Tiering;

/// <summary>Labels and help text of the tiering screens, in our own words.</summary>
public static class TieringText
{
    /// <summary>One materiality factor of the form: the field it binds to, its label and what to consider.</summary>
    public sealed record Factor(string Field, string Label, string Help, string LowMeans, string HighMeans);

    /// <summary>Every rated factor of <see cref="MaterialityFactors"/>, in the order the form asks them.</summary>
    public static readonly IReadOnlyList<Factor> Factors =
    [
        new(nameof(MaterialityFactors.ValueAtRisk), "Value at risk",
            "What we stand to lose if goods, data or money in this supplier's care were stolen, damaged or held up: the value of a typical consignment and the revenue that depends on it.",
            "small amounts we could absorb", "losses that would dent the year's results"),
        new(nameof(MaterialityFactors.ThreatExposure), "Threat exposure",
            "How attractive and reachable the supplier's sites, routes and shipments are to thieves, smugglers or saboteurs. Think of the countries and corridors it works in, the transport modes and any incidents it has reported.",
            "quiet routes, nothing worth targeting", "known hot spots or past incidents"),
        new(nameof(MaterialityFactors.DisruptionConsequence), "Consequence of disruption",
            "What happens to our own operations and customers if this supplier stops, or is compromised, for about a week.",
            "nobody would notice", "production stops or customers are harmed"),
        new(nameof(MaterialityFactors.RegulatorySensitivity), "Regulatory or contractual sensitivity",
            "Whether customs programmes (such as our authorised economic operator status), customer contracts or laws expect us to keep this supplier's security under control, and how heavy the consequences are if we do not.",
            "no external duty applies", "a lapse could cost a licence or a status"),
        new(nameof(MaterialityFactors.SubstitutionDifficulty), "Difficulty of replacing the supplier",
            "How hard it would be to move the work to someone else quickly and at a similar cost.",
            "many qualified alternatives", "the only source we have"),
    ];

    public const string SpecialCargoHelp =
        "Tick each kind of goods the supplier handles for us. These raise the proposed tier whatever the points say, because such goods need tighter custody.";

    public static readonly IReadOnlyList<(SpecialCargo Flag, string Field, string Label, string Help)> Cargo =
    [
        (SpecialCargo.HighValue, "HighValue", "High-value goods", "Goods thieves seek out, such as electronics, medicines, tobacco or branded clothing."),
        (SpecialCargo.Hazardous, "Hazardous", "Hazardous goods", "Goods classed as dangerous for transport, which could be misused or cause harm if diverted."),
        (SpecialCargo.Controlled, "Controlled", "Controlled goods", "Goods under export control, dual-use rules or a licence, where a diversion is a legal breach."),
    ];

    public static string Level(FactorLevel level) => level switch
    {
        FactorLevel.Negligible => "Negligible (0)",
        FactorLevel.Moderate => "Moderate (1)",
        FactorLevel.High => "High (2)",
        FactorLevel.Severe => "Severe (3)",
        _ => level.ToString(),
    };

    public static string Validation(ValidationLevel level) => level switch
    {
        ValidationLevel.SelfAttestation => "Self-attestation",
        ValidationLevel.RemoteReview => "Remote review by a reviewer",
        ValidationLevel.OnSiteAudit => "On-site second-party audit",
        _ => level.ToString(),
    };

    /// <summary>Where a submission of a tier goes under <paramref name="rules"/>, as the routing in Core decides it.</summary>
    public static string Routing(TierRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.Validation switch
        {
            ValidationLevel.OnSiteAudit => "Every submission goes to an audit.",
            ValidationLevel.RemoteReview => "Every submission goes to a reviewer.",
            _ when rules.AutoApproveMinScore is { } min =>
                FormattableString.Invariant($"Approved without a reviewer at a score of {min:0.##} or more with no critical gap; otherwise a reviewer decides."),
            _ => "Every submission goes to a reviewer (no auto-approval threshold set).",
        };
    }

    public static string Source(TierDecisionSource source) => source switch
    {
        TierDecisionSource.Proposal => "Proposal accepted",
        TierDecisionSource.Override => "Overridden",
        _ => source.ToString(),
    };
}
