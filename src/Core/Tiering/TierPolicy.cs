using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tiering;

/// <summary>How a supplier's answers are checked, from lightest to heaviest.</summary>
public enum ValidationLevel
{
    SelfAttestation,
    RemoteReview,
    OnSiteAudit,
}

/// <summary>What one tier decides: validation, evidence, cadence and how good an answer must be.</summary>
/// <param name="AutoApproveMinScore">
/// Only for <see cref="ValidationLevel.SelfAttestation"/>: a submission scoring at least this (0–100) with no critical gap
/// is approved without a person; absent means a person reviews every submission of the tier.
/// </param>
public sealed record TierRules(ValidationLevel Validation, bool EvidenceRequired, int ReassessmentMonths, decimal ExpectedAnswerFraction, decimal? AutoApproveMinScore = null);

/// <summary>How a materiality assessment turns into a proposed tier.</summary>
public sealed record ProposalRules(
    int Tier1MinPoints,
    int Tier2MinPoints,
    bool SevereFactorMakesTier1,
    int HighValueMinimumTier,
    int HazardousMinimumTier,
    int ControlledMinimumTier);

public sealed record TierProposal(SupplierTier Tier, int Points, IReadOnlyList<string> Reasons);

public sealed class TierPolicyInvalidException(IReadOnlyList<string> problems)
    : Exception("The tier policy is invalid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The tier policy as data: an administrator publishes a new version instead of changing code. The shipped
/// default is version 0 and applies until a version is published.
/// </summary>
public sealed record TierPolicy(int Version, ProposalRules Proposal, TierRules Tier1, TierRules Tier2, TierRules Tier3, int ExcludedRevalidationMonths)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static TierPolicy Default { get; } = LoadDefault();

    public TierRules RulesFor(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => Tier1,
        SupplierTier.Tier2Significant => Tier2,
        SupplierTier.Tier3Standard => Tier3,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Excluded suppliers have no questionnaire rules."),
    };

    public TierExpectation ExpectationFor(SupplierTier tier) => tier == SupplierTier.Excluded
        ? new TierExpectation(0m, false)
        : new TierExpectation(RulesFor(tier).ExpectedAnswerFraction, RulesFor(tier).EvidenceRequired);

    /// <summary>Months until the next assessment (or, for Excluded, until the exclusion is checked again).</summary>
    public int CadenceMonths(SupplierTier tier) => tier == SupplierTier.Excluded ? ExcludedRevalidationMonths : RulesFor(tier).ReassessmentMonths;

    /// <summary>Proposes a tier, most demanding rule wins, and says which factors drove it.</summary>
    public TierProposal Propose(MaterialityFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var reasons = new List<string>();
        var named = new (string Name, FactorLevel Level)[]
        {
            ("Value at risk", factors.ValueAtRisk),
            ("Threat exposure", factors.ThreatExposure),
            ("Consequence of disruption", factors.DisruptionConsequence),
            ("Regulatory or contractual sensitivity", factors.RegulatorySensitivity),
            ("Difficulty of replacing the supplier", factors.SubstitutionDifficulty),
        };
        var points = named.Sum(f => (int)f.Level);
        var tier = points >= Proposal.Tier1MinPoints ? 1 : points >= Proposal.Tier2MinPoints ? 2 : 3;
        reasons.Add(tier switch
        {
            1 => string.Create(CultureInfo.InvariantCulture, $"{points} of 15 materiality points reach the Tier 1 threshold of {Proposal.Tier1MinPoints}."),
            2 => string.Create(CultureInfo.InvariantCulture, $"{points} of 15 materiality points reach the Tier 2 threshold of {Proposal.Tier2MinPoints}."),
            _ => string.Create(CultureInfo.InvariantCulture, $"{points} of 15 materiality points stay below the Tier 2 threshold of {Proposal.Tier2MinPoints}."),
        });

        foreach (var (name, level) in named.Where(f => f.Level >= FactorLevel.High))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {level.ToString().ToLowerInvariant()} ({(int)level} points)."));
            if (level == FactorLevel.Severe && Proposal.SevereFactorMakesTier1 && tier > 1)
            {
                tier = 1;
                reasons.Add($"A severe rating of {name.ToLowerInvariant()} alone makes the supplier Tier 1.");
            }
        }

        foreach (var (flag, minimum, label) in new[]
        {
            (SpecialCargo.HighValue, Proposal.HighValueMinimumTier, "high-value"),
            (SpecialCargo.Hazardous, Proposal.HazardousMinimumTier, "hazardous"),
            (SpecialCargo.Controlled, Proposal.ControlledMinimumTier, "controlled"),
        })
        {
            if (factors.SpecialCargo.HasFlag(flag) && tier > minimum)
            {
                tier = minimum;
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"The supplier handles {label} goods, which need at least Tier {minimum}."));
            }
        }

        return new TierProposal((SupplierTier)tier, points, reasons);
    }

    /// <summary>Reads and checks a policy document; every problem is reported together.</summary>
    public static TierPolicy Parse(string json, int version)
    {
        Document? doc;
        try
        {
            doc = JsonSerializer.Deserialize<Document>(json, Json);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            throw new TierPolicyInvalidException([string.Create(CultureInfo.InvariantCulture, $"Line {line} ({ex.Path ?? "$"}): the value is missing, misspelt or of the wrong type.")]);
        }

        var problems = new List<string>();
        if (doc?.Proposal is not { } p || doc.Tier1 is null || doc.Tier2 is null || doc.Tier3 is null)
        {
            throw new TierPolicyInvalidException(["The policy needs proposal, tier1, tier2 and tier3 sections."]);
        }

        if (p.Tier2MinPoints < 1 || p.Tier1MinPoints <= p.Tier2MinPoints || p.Tier1MinPoints > 15)
        {
            problems.Add("proposal: thresholds must satisfy 1 ≤ tier2MinPoints < tier1MinPoints ≤ 15.");
        }

        if (new[] { p.HighValueMinimumTier, p.HazardousMinimumTier, p.ControlledMinimumTier }.Any(t => t is < 1 or > 3))
        {
            problems.Add("proposal: minimum tiers for special cargo are 1, 2 or 3.");
        }

        foreach (var (name, rules) in new[] { ("tier1", doc.Tier1), ("tier2", doc.Tier2), ("tier3", doc.Tier3) })
        {
            if (rules.ReassessmentMonths is < 1 or > 60)
            {
                problems.Add($"{name}: reassessmentMonths is between 1 and 60.");
            }

            if (rules.ExpectedAnswerFraction is <= 0 or > 1)
            {
                problems.Add($"{name}: expectedAnswerFraction is above 0 and at most 1.");
            }

            // A threshold on a tier that a person or an auditor always checks would look like it does something.
            if (rules.AutoApproveMinScore is not null && rules.Validation != ValidationLevel.SelfAttestation)
            {
                problems.Add($"{name}: autoApproveMinScore applies only to a selfAttestation tier; remove it or change the validation.");
            }
            else if (rules.AutoApproveMinScore is < 0 or > 100)
            {
                problems.Add($"{name}: autoApproveMinScore is between 0 and 100.");
            }
        }

        // A more critical tier may never be checked more lightly than a less critical one.
        if (doc.Tier1.Validation < doc.Tier2.Validation || doc.Tier2.Validation < doc.Tier3.Validation)
        {
            problems.Add("Validation must not get lighter as the tier gets more critical.");
        }

        if (doc.ExcludedRevalidationMonths is < 1 or > 60)
        {
            problems.Add("excludedRevalidationMonths is between 1 and 60.");
        }

        if (problems.Count > 0)
        {
            throw new TierPolicyInvalidException(problems);
        }

        return new TierPolicy(version, p, doc.Tier1, doc.Tier2, doc.Tier3, doc.ExcludedRevalidationMonths);
    }

    public string ToJson() => JsonSerializer.Serialize(new Document
    {
        Proposal = Proposal,
        Tier1 = Tier1,
        Tier2 = Tier2,
        Tier3 = Tier3,
        ExcludedRevalidationMonths = ExcludedRevalidationMonths,
    }, Json);

    private static TierPolicy LoadDefault()
    {
        using var stream = typeof(TierPolicy).Assembly.GetManifestResourceStream("SupplierAssure.Tiering.tier-policy.json")
            ?? throw new InvalidOperationException("The embedded tier policy is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), 0);
    }

    private sealed class Document
    {
        public ProposalRules? Proposal { get; set; }
        public TierRules? Tier1 { get; set; }
        public TierRules? Tier2 { get; set; }
        public TierRules? Tier3 { get; set; }
        public int ExcludedRevalidationMonths { get; set; }
    }
}
