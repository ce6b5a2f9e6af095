using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Scoring;

/// <summary>
/// Weighted scoring of a questionnaire. Yes = 1, partial = 0.5, no = 0, maturity n = (n-1)/4;
/// not-applicable and text answers are left out of the denominator; an unanswered scored question counts as 0.
/// A critical question below full marks is a critical gap.
/// </summary>
public static class ScoringEngine
{
    public const string ModelVersion = "2026.1";

    public static ScoreResult Score(IReadOnlyList<TemplateQuestion> questions, IReadOnlyDictionary<string, string?> answersByCode, SupplierTier tier)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answersByCode);

        var sectionOrder = new List<string>();
        var sectionTotals = new Dictionary<string, (decimal Achieved, decimal Possible)>(StringComparer.Ordinal);
        var gaps = new List<ScoreGap>();
        decimal achievedTotal = 0, possibleTotal = 0;
        var critical = 0;
        var scored = 0;

        foreach (var question in questions)
        {
            if (!question.AppliesTo(tier) || question.AnswerType == AnswerType.Text)
            {
                continue;
            }

            answersByCode.TryGetValue(question.Code, out var value);
            var fraction = Fraction(question.AnswerType, value);
            if (fraction is null)
            {
                continue; // not applicable
            }

            scored++;
            var achieved = fraction.Value * question.Weight;
            achievedTotal += achieved;
            possibleTotal += question.Weight;

            if (!sectionTotals.TryGetValue(question.Section, out var totals))
            {
                sectionOrder.Add(question.Section);
            }

            sectionTotals[question.Section] = (totals.Achieved + achieved, totals.Possible + question.Weight);

            if (fraction.Value < 1m)
            {
                gaps.Add(new ScoreGap(question.Code, question.Clause, question.Critical, fraction.Value));
                if (question.Critical)
                {
                    critical++;
                }
            }
        }

        var overall = Percent(achievedTotal, possibleTotal);
        var sections = new List<SectionScore>(sectionOrder.Count);
        foreach (var name in sectionOrder)
        {
            var (a, p) = sectionTotals[name];
            var pct = Percent(a, p);
            sections.Add(new SectionScore(name, pct, Maturity(pct)));
        }

        return new ScoreResult(ModelVersion, overall, Maturity(overall), Rate(tier, overall, critical), sections, gaps, critical, scored);
    }

    /// <summary>0..1 for a scored answer, null when the question is out of the denominator.</summary>
    internal static decimal? Fraction(AnswerType type, string? value) => type switch
    {
        AnswerType.YesPartialNo => value switch
        {
            AnswerRules.Yes => 1m,
            AnswerRules.Partial => 0.5m,
            AnswerRules.NotApplicable => null,
            _ => 0m,
        },
        AnswerType.Maturity => value is { Length: 1 } && value[0] is >= '1' and <= '5' ? (value[0] - '1') / 4m : 0m,
        _ => null,
    };

    private static decimal Percent(decimal achieved, decimal possible) =>
        possible == 0 ? 0m : Math.Round(achieved / possible * 100m, 1, MidpointRounding.AwayFromZero);

    /// <summary>Maps a 0–100 score onto the five-level maturity scale (1 ad hoc … 5 optimising).</summary>
    public static int Maturity(decimal percent) => percent switch
    {
        < 20m => 1,
        < 40m => 2,
        < 60m => 3,
        < 80m => 4,
        _ => 5,
    };

    /// <summary>Risk rating from tier × score: the more the operator depends on a supplier, the less weakness it tolerates.</summary>
    public static RiskRating Rate(SupplierTier tier, decimal percent, int criticalGaps)
    {
        if (tier == SupplierTier.Excluded)
        {
            return RiskRating.Unrated;
        }

        // Weakness 0 (strong) .. 3 (weak), then one step worse per critical gap, capped.
        var weakness = percent switch
        {
            >= 80m => 0,
            >= 60m => 1,
            >= 40m => 2,
            _ => 3,
        };
        weakness = Math.Min(3, weakness + criticalGaps);
        var exposure = tier switch
        {
            SupplierTier.Tier1Critical => 1,
            SupplierTier.Tier2Significant => 0,
            _ => -1,
        };
        var level = Math.Clamp(weakness + exposure, 0, 3);
        return (RiskRating)(level + 1);
    }
}
