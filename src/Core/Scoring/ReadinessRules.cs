using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Scoring;

public enum RuleKind
{
    /// <summary>An item a supplier should have in place before a certification-style audit.</summary>
    Readiness,
    /// <summary>A weakness auditors often find; failing means the weakness is present.</summary>
    CommonGap,
}

public enum RuleOutcome
{
    Pass,
    Fail,
    /// <summary>The supplier's data cannot decide it: not asked at this tier, unanswered or not applicable.</summary>
    Unknown,
}

/// <summary>
/// A readiness or common-gap rule: it passes when every listed question is answered at or above
/// <see cref="MinimumFraction"/> of full marks (and, when <see cref="NeedsEvidence"/>, has evidence attached).
/// </summary>
public sealed record ReadinessRule(string Id, RuleKind Kind, string Title, IReadOnlyList<string> QuestionCodes, decimal MinimumFraction = 1m, bool NeedsEvidence = false);

public sealed record RuleResult(ReadinessRule Rule, RuleOutcome Outcome, string Reason);

/// <summary>
/// The readiness checklist and the list of common gaps, as rules over a supplier's answers and evidence. Each
/// result says which answer decided it, so a reviewer can check the reasoning.
/// </summary>
public static class ReadinessRules
{
    public static readonly IReadOnlyList<ReadinessRule> All =
    [
        new("R01", RuleKind.Readiness, "Senior management backs security and has approved a policy that staff know", ["LEAD-01", "LEAD-03"]),
        new("R02", RuleKind.Readiness, "The scope of the security arrangements is written down, with exclusions explained", ["CTX-02", "CTX-08"]),
        new("R03", RuleKind.Readiness, "Interested parties and legal or contractual security duties are listed and kept current", ["CTX-05", "CTX-06"]),
        new("R04", RuleKind.Readiness, "A documented risk method is used across the whole scope", ["PLAN-01", "PLAN-05"], 0.5m),
        new("R05", RuleKind.Readiness, "Risks have treatments, chosen controls are listed and remaining risk is accepted by its owner", ["PLAN-07", "PLAN-08"]),
        new("R06", RuleKind.Readiness, "A security lead and the duties of each role are assigned", ["LEAD-02", "LEAD-08"]),
        new("R07", RuleKind.Readiness, "Measurable objectives have owners, deadlines and targets", ["PLAN-10", "PLAN-11"]),
        new("R08", RuleKind.Readiness, "Controls in every domain operate and leave records", ["OPS-01", "OPS-02", "OPS-03", "OPS-05", "PRC-01", "BPS-01", "OPR-10"]),
        new("R09", RuleKind.Readiness, "Security plans for normal and raised threat levels exist and have been rehearsed", ["OPR-13", "OPR-14"]),
        new("R10", RuleKind.Readiness, "Training and awareness reach everyone in security-relevant work", ["SUP-01", "SUP-07"]),
        new("R11", RuleKind.Readiness, "Communication and document control work, with versions managed", ["SUP-10", "SUP-13"]),
        new("R12", RuleKind.Readiness, "Performance is measured and at least one internal audit has been completed", ["EVAL-02", "EVAL-01"]),
        new("R13", RuleKind.Readiness, "Top management reviews security and records its decisions", ["EVAL-07", "EVAL-08"]),
        new("R14", RuleKind.Readiness, "Problems are corrected through root-cause analysis", ["IMP-01", "IMP-08"]),
        new("G01", RuleKind.CommonGap, "Scope leaves out outsourced work or hand-over points without saying why", ["CTX-08", "CTX-09"]),
        new("G02", RuleKind.CommonGap, "Risk assessment is generic rather than about the real sites, routes and modes", ["PLAN-05"]),
        new("G03", RuleKind.CommonGap, "No list of chosen controls, or no owner sign-off of remaining risk", ["PLAN-08", "PLAN-09"]),
        new("G04", RuleKind.CommonGap, "Objectives are missing or cannot be measured", ["PLAN-10", "PLAN-11"]),
        new("G05", RuleKind.CommonGap, "Partners are neither assessed nor bound by contract to security terms", ["BPS-01", "BPS-02"]),
        new("G06", RuleKind.CommonGap, "People security is weak: screening, visitors or insiders", ["OPS-03", "PER-01", "PER-04"]),
        new("G07", RuleKind.CommonGap, "Cargo controls have no records: seal register, inspections, tracking", ["OPS-02", "CGO-01", "CGO-02"], 1m, NeedsEvidence: true),
        new("G08", RuleKind.CommonGap, "Shipment data is not covered by information security management", ["OPS-05", "INF-03"]),
        new("G09", RuleKind.CommonGap, "Plans for raised threat and incidents are missing or never rehearsed", ["OPR-13", "OPR-14", "OPS-04"]),
        new("G10", RuleKind.CommonGap, "Internal audits miss areas or sites, or auditors lack independence", ["EVAL-05", "EVAL-06"]),
        new("G11", RuleKind.CommonGap, "Management review is rare or leaves no decisions", ["EVAL-07", "EVAL-08"]),
        new("G12", RuleKind.CommonGap, "Corrective actions fix symptoms and are never checked for effect", ["IMP-06", "IMP-08"]),
        new("G13", RuleKind.CommonGap, "Documents are poorly controlled: old versions in use, no retention or access rules", ["SUP-13", "SUP-14"]),
        new("G14", RuleKind.CommonGap, "Staff cannot explain the policy or their part in it", ["SUP-07", "SUP-08"], 0.5m),
    ];

    /// <summary>Evaluates every rule for a supplier of <paramref name="tier"/> against its answers and evidence.</summary>
    public static IReadOnlyList<RuleResult> Evaluate(IReadOnlyList<TemplateQuestion> questions, IReadOnlyDictionary<string, string?> answersByCode,
        IReadOnlySet<string> questionsWithEvidence, SupplierTier tier, SupplyChainRoles roles = SupplyChainRoles.None)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answersByCode);
        ArgumentNullException.ThrowIfNull(questionsWithEvidence);
        var byCode = questions.ToDictionary(q => q.Code, StringComparer.Ordinal);
        return All.Select(rule => Evaluate(rule, byCode, answersByCode, questionsWithEvidence, tier, roles)).ToList();
    }

    private static RuleResult Evaluate(ReadinessRule rule, Dictionary<string, TemplateQuestion> byCode, IReadOnlyDictionary<string, string?> answers,
        IReadOnlySet<string> evidence, SupplierTier tier, SupplyChainRoles roles)
    {
        string? unknown = null;
        foreach (var code in rule.QuestionCodes)
        {
            if (!byCode.TryGetValue(code, out var question) || !question.AppliesTo(tier) || !question.IsShown(roles, answers))
            {
                unknown ??= $"{code} is not asked of this supplier.";
                continue;
            }

            answers.TryGetValue(code, out var value);
            if (value is null)
            {
                unknown ??= $"{code} is not answered.";
                continue;
            }

            var scored = ScoringEngine.Score([question], new Dictionary<string, string?> { [code] = value }, tier);
            if (scored.ScoredQuestionCount == 0)
            {
                unknown ??= $"{code} is marked as not applicable.";
                continue;
            }

            var fraction = scored.Questions[0].Fraction;
            if (fraction < rule.MinimumFraction)
            {
                return Failed(rule, $"{code} is answered \"{value}\", below what this rule needs.");
            }

            if (rule.NeedsEvidence && !evidence.Contains(code))
            {
                return Failed(rule, $"{code} has no evidence attached.");
            }
        }

        return unknown is not null
            ? new RuleResult(rule, RuleOutcome.Unknown, unknown)
            : new RuleResult(rule, RuleOutcome.Pass, "Every answer this rule looks at meets it: " + string.Join(", ", rule.QuestionCodes) + ".");
    }

    // For a common gap, failing means the gap is present, so the reason says so.
    private static RuleResult Failed(ReadinessRule rule, string reason) =>
        new(rule, RuleOutcome.Fail, rule.Kind == RuleKind.CommonGap ? "Gap present: " + reason : reason);
}
