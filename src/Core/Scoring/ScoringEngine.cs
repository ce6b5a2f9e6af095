using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Scoring;

/// <summary>What the supplier's tier expects of each answer; comes from the tier policy.</summary>
/// <param name="ExpectedFraction">An answer below this share of full marks is a gap (1 = only full marks pass).</param>
/// <param name="EvidenceRequired">Whether a positive answer without the expected evidence attached is a minor nonconformity.</param>
public sealed record TierExpectation(decimal ExpectedFraction, bool EvidenceRequired)
{
    /// <summary>The expectations of the shipped tier policy, for callers that have no policy at hand.</summary>
    public static TierExpectation DefaultFor(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => new(1m, true),
        SupplierTier.Tier2Significant => new(0.75m, true),
        _ => new(0.5m, false),
    };
}

/// <summary>Everything besides the answers that decides a score.</summary>
public sealed record ScoringContext(
    SupplierTier Tier,
    SupplyChainRoles Roles = SupplyChainRoles.None,
    IReadOnlySet<string>? QuestionsWithEvidence = null,
    TierExpectation? Expectation = null);

/// <summary>
/// Weighted scoring of a questionnaire, per clause, per control domain, per section and overall.
/// Yes = 1, partial = 0.5, no = 0; maturity n = (n-1)/4; a single choice earns its option's score, a multiple choice
/// the sum of its options' scores capped at 1. Not-applicable answers, hidden questions (conditional display) and
/// number, date and text answers stay out of the denominator; an unanswered scored question counts as 0.
/// Findings: a critical question below full marks is a major nonconformity; a question earning nothing, or a
/// positive answer missing evidence the tier requires, a minor one; a partial answer (or a maturity or choice
/// below the tier's expectation) an opportunity for improvement.
/// </summary>
public static class ScoringEngine
{
    /// <summary>Changes whenever a rule above changes, so stored results say which rules produced them.</summary>
    public const string ModelVersion = "2026.2";

    private static readonly string[] ClauseTitles =
        ["Context of the organisation", "Leadership", "Planning", "Support", "Operation", "Performance evaluation", "Improvement"];

    private static readonly IReadOnlySet<string> NoEvidence = new HashSet<string>();
    private static readonly decimal[] MaturityFractions = [0m, 0.25m, 0.5m, 0.75m, 1m];
    private static readonly string[] ClauseKeys = ["4", "5", "6", "7", "8", "9", "10"];
    private static readonly string[] DomainKeys = Enum.GetValues<ControlDomain>().Select(d => d.ToString()).ToArray();
    private static readonly string[] DomainTitles = Enum.GetValues<ControlDomain>().Select(Frameworks.Title).ToArray();

    private const string KeyControlMissing = "A key control is not fully in place.";
    private const string Unanswered = "The question was left unanswered.";
    private const string NotMet = "The requirement is not met.";
    private const string PartlyMet = "The requirement is only partly met.";
    private const string BelowExpectation = "The answer is below what this tier expects.";
    private const string EvidenceMissing = "The evidence this tier requires is not attached.";

    /// <summary>Scores with the default expectations of <paramref name="tier"/> and no evidence or role information.</summary>
    public static ScoreResult Score(IReadOnlyList<TemplateQuestion> questions, IReadOnlyDictionary<string, string?> answersByCode, SupplierTier tier) =>
        Score(ScoringModel.Compile(questions), answersByCode, new ScoringContext(tier));

    public static ScoreResult Score(ScoringModel model, IReadOnlyDictionary<string, string?> answersByCode, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(answersByCode);
        ArgumentNullException.ThrowIfNull(context);

        var expectation = context.Expectation ?? TierExpectation.DefaultFor(context.Tier);
        var expected = expectation.ExpectedFraction;
        var withEvidence = context.QuestionsWithEvidence ?? NoEvidence;
        var questions = model.Questions;
        var domainCount = ScoringModel.DomainCount;

        // Running totals in integer units (exact and cheap): clauses, then domains, then sections; achieved and
        // possible side by side. Decimals are only made once per reported number.
        var totalsLength = (ScoringModel.ClauseCount + domainCount + model.Sections.Length) * 2;
        Span<long> totals = totalsLength <= 256 ? stackalloc long[totalsLength] : new long[totalsLength];
        totals.Clear();
        Span<int> counts = stackalloc int[ScoringModel.ClauseCount + domainCount];
        counts.Clear();

        var scores = new List<QuestionScore>(questions.Length);
        List<ScoreGap>? gaps = null;
        List<ScoreFinding>? findings = null;
        long achievedTotal = 0, possibleTotal = 0;
        var critical = 0;

        for (var i = 0; i < questions.Length; i++)
        {
            var question = questions[i];
            if (!question.IsScored || !question.AppliesTo(context.Tier)
                || ((question.ShowWhenSupplierRoles != SupplyChainRoles.None || question.ShowWhenQuestion is not null) && !question.IsShown(context.Roles, answersByCode)))
            {
                continue;
            }

            answersByCode.TryGetValue(question.Code, out var value);
            if (!TryFraction(question, model.OptionUnits[i], value, out var fraction, out var fractionUnits))
            {
                continue; // not applicable
            }

            var weightUnits = model.WeightUnits[i];
            var achieved = fractionUnits * weightUnits;
            var possible = ScoringModel.FractionScale * weightUnits;
            achievedTotal += achieved;
            possibleTotal += possible;
            scores.Add(new QuestionScore(question.Code, question.Clause, question.Domain, question.Section, question.Weight, fraction, value));

            var c = model.ClauseIndex[i];
            totals[c * 2] += achieved;
            totals[(c * 2) + 1] += possible;
            counts[c]++;
            if (question.Domain is { } domain)
            {
                var d = ScoringModel.ClauseCount + (int)domain;
                totals[d * 2] += achieved;
                totals[(d * 2) + 1] += possible;
                counts[d]++;
            }

            var s = ScoringModel.ClauseCount + domainCount + model.SectionIndex[i];
            totals[s * 2] += achieved;
            totals[(s * 2) + 1] += possible;

            var full = fractionUnits == ScoringModel.FractionScale;
            if ((question.Critical && !full) || fraction < expected)
            {
                (gaps ??= []).Add(new ScoreGap(question.Code, question.Clause, question.Critical, fraction, expected, question.Domain));
            }

            if (question.Critical && !full)
            {
                critical++;
                (findings ??= []).Add(new ScoreFinding(question.Code, question.Clause, question.Domain, FindingGrade.MajorNonconformity, KeyControlMissing));
            }
            else if (fractionUnits == 0)
            {
                (findings ??= []).Add(new ScoreFinding(question.Code, question.Clause, question.Domain, FindingGrade.MinorNonconformity,
                    value is null ? Unanswered : NotMet));
            }
            else if (!full && (question.AnswerType == AnswerType.YesPartialNo || fraction < expected))
            {
                (findings ??= []).Add(new ScoreFinding(question.Code, question.Clause, question.Domain, FindingGrade.OpportunityForImprovement,
                    question.AnswerType == AnswerType.YesPartialNo ? PartlyMet : BelowExpectation));
            }

            if (expectation.EvidenceRequired && fractionUnits > 0 && question.EvidenceFor(context.Tier) is not null && !withEvidence.Contains(question.Code))
            {
                (findings ??= []).Add(new ScoreFinding(question.Code, question.Clause, question.Domain, FindingGrade.MinorNonconformity, EvidenceMissing));
            }
        }

        var clauses = new List<AreaScore>(ScoringModel.ClauseCount);
        for (var c = 0; c < ScoringModel.ClauseCount; c++)
        {
            if (counts[c] > 0)
            {
                clauses.Add(Area(ClauseKeys[c], ClauseTitles[c], totals[c * 2], totals[(c * 2) + 1], counts[c]));
            }
        }

        var domains = new List<AreaScore>(domainCount);
        for (var d = 0; d < domainCount; d++)
        {
            var at = ScoringModel.ClauseCount + d;
            if (counts[at] > 0)
            {
                domains.Add(Area(DomainKeys[d], DomainTitles[d], totals[at * 2], totals[(at * 2) + 1], counts[at]));
            }
        }

        var sections = new List<SectionScore>(model.Sections.Length);
        for (var s = 0; s < model.Sections.Length; s++)
        {
            var at = ScoringModel.ClauseCount + domainCount + s;
            if (totals[(at * 2) + 1] > 0)
            {
                var pct = Percent(totals[at * 2], totals[(at * 2) + 1]);
                sections.Add(new SectionScore(model.Sections[s], pct, Maturity(pct)));
            }
        }

        var overall = Percent(achievedTotal, possibleTotal);
        return new ScoreResult(ModelVersion, overall, Maturity(overall), Rate(context.Tier, overall, critical), sections,
            (IReadOnlyList<ScoreGap>?)gaps ?? [], critical, scores.Count, clauses, domains, (IReadOnlyList<ScoreFinding>?)findings ?? [], scores);
    }

    private static AreaScore Area(string key, string title, long achievedUnits, long possibleUnits, int count)
    {
        var pct = Percent(achievedUnits, possibleUnits);
        const decimal scale = ScoringModel.FractionScale * ScoringModel.WeightScale;
        return new AreaScore(key, title, pct, Maturity(pct), achievedUnits / scale, possibleUnits / scale, count);
    }

    /// <summary>
    /// The answer's share of full marks, as a decimal for the record and in ten-thousandths for the sums; false when
    /// the question is out of the denominator (not applicable).
    /// </summary>
    private static bool TryFraction(TemplateQuestion question, long[] optionUnits, string? value, out decimal fraction, out long units)
    {
        switch (question.AnswerType)
        {
            case AnswerType.YesPartialNo:
                (fraction, units) = value switch
                {
                    AnswerRules.Yes => (1m, ScoringModel.FractionScale),
                    AnswerRules.Partial => (0.5m, ScoringModel.FractionScale / 2),
                    _ => (0m, 0L),
                };
                return value != AnswerRules.NotApplicable;
            case AnswerType.Maturity:
                var level = value is { Length: 1 } && value[0] is >= '1' and <= '5' ? value[0] - '1' : 0;
                fraction = MaturityFractions[level];
                units = level * ScoringModel.FractionScale / 4;
                return true;
            case AnswerType.SingleChoice:
                var options = question.Options;
                for (var o = 0; o < options.Count; o++)
                {
                    if (options[o].Value == value)
                    {
                        fraction = options[o].Score;
                        units = optionUnits[o];
                        return true;
                    }
                }

                (fraction, units) = (0m, 0L);
                return true;
            case AnswerType.MultipleChoice:
                units = value is null ? 0 : MultipleChoiceUnits(question.Options, optionUnits, value);
                fraction = units == 0 ? 0m : units / (decimal)ScoringModel.FractionScale;
                return true;
            default:
                (fraction, units) = (0m, 0L);
                return false;
        }
    }

    private static long MultipleChoiceUnits(List<AnswerOption> options, long[] optionUnits, string value)
    {
        // Walk the options rather than splitting the answer: no allocation, and a repeated value counts once.
        long sum = 0;
        var chosen = value.AsSpan();
        for (var o = 0; o < options.Count; o++)
        {
            foreach (var range in chosen.Split(','))
            {
                if (chosen[range].SequenceEqual(options[o].Value))
                {
                    sum += optionUnits[o];
                    break;
                }
            }
        }

        return Math.Min(ScoringModel.FractionScale, sum);
    }

    private static decimal Percent(long achieved, long possible) =>
        possible == 0 ? 0m : Math.Round((decimal)achieved * 100m / possible, 1, MidpointRounding.AwayFromZero);

    /// <summary>Maps a 0–100 score onto the guide's five-level maturity scale (1 initial … 5 optimising).</summary>
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
