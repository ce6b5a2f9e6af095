using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

public sealed class ScoringEngineTests
{
    private static TemplateQuestion Q(string code, AnswerType type = AnswerType.YesPartialNo, decimal weight = 1, bool critical = false, string section = "S", SupplierTier upTo = SupplierTier.Tier3Standard) =>
        new() { Code = code, Section = section, Clause = "8.4", Text = code, AnswerType = type, Weight = weight, Critical = critical, AppliesUpToTier = upTo };

    [Fact]
    public void Score_AllYes_Returns100AndMaturity5()
    {
        var questions = new[] { Q("A"), Q("B", weight: 3) };
        var result = ScoringEngine.Score(questions, new Dictionary<string, string?> { ["A"] = "yes", ["B"] = "yes" }, SupplierTier.Tier3Standard);
        Assert.Equal(100m, result.OverallScore);
        Assert.Equal(5, result.MaturityLevel);
        Assert.Empty(result.Gaps);
        Assert.Equal(RiskRating.Low, result.RiskRating);
    }

    [Fact]
    public void Score_WeightsAndPartials_AreWeightedAverage()
    {
        // A: yes (w1) = 1, B: partial (w3) = 1.5, C: no (w2) = 0 → 2.5 / 6 = 41.7
        var questions = new[] { Q("A"), Q("B", weight: 3), Q("C", weight: 2) };
        var result = ScoringEngine.Score(questions, new Dictionary<string, string?> { ["A"] = "yes", ["B"] = "partial", ["C"] = "no" }, SupplierTier.Tier3Standard);
        Assert.Equal(41.7m, result.OverallScore);
        Assert.Equal(3, result.MaturityLevel);
        // Tier 3 expects half marks, so only the "no" is a gap; at Tier 1 anything below full marks is.
        Assert.Equal(["C"], result.Gaps.Select(g => g.QuestionCode));
        Assert.Equal(["B", "C"], ScoringEngine.Score(questions, new Dictionary<string, string?> { ["A"] = "yes", ["B"] = "partial", ["C"] = "no" }, SupplierTier.Tier1Critical).Gaps.Select(g => g.QuestionCode));
    }

    [Fact]
    public void Score_NotApplicable_IsLeftOutOfTheDenominator()
    {
        var questions = new[] { Q("A"), Q("B", weight: 5) };
        var result = ScoringEngine.Score(questions, new Dictionary<string, string?> { ["A"] = "yes", ["B"] = "na" }, SupplierTier.Tier3Standard);
        Assert.Equal(100m, result.OverallScore);
        Assert.Equal(1, result.ScoredQuestionCount);
    }

    [Fact]
    public void Score_MaturityAnswers_MapOntoZeroToOne()
    {
        var questions = new[] { Q("M", AnswerType.Maturity) };
        Assert.Equal(0m, ScoringEngine.Score(questions, new Dictionary<string, string?> { ["M"] = "1" }, SupplierTier.Tier3Standard).OverallScore);
        Assert.Equal(50m, ScoringEngine.Score(questions, new Dictionary<string, string?> { ["M"] = "3" }, SupplierTier.Tier3Standard).OverallScore);
        Assert.Equal(100m, ScoringEngine.Score(questions, new Dictionary<string, string?> { ["M"] = "5" }, SupplierTier.Tier3Standard).OverallScore);
    }

    [Fact]
    public void Score_CriticalQuestionBelowFullMarks_CountsCriticalGapAndRaisesRisk()
    {
        var questions = new[] { Q("A", weight: 10), Q("SEAL", critical: true) };
        var result = ScoringEngine.Score(questions, new Dictionary<string, string?> { ["A"] = "yes", ["SEAL"] = "no" }, SupplierTier.Tier2Significant);
        Assert.Equal(1, result.CriticalGapCount);
        Assert.True(result.Gaps.Single().Critical);
        Assert.Equal(90.9m, result.OverallScore);
        Assert.Equal(RiskRating.Medium, result.RiskRating);
    }

    [Fact]
    public void Score_UnansweredScoredQuestion_CountsAsZero()
    {
        var result = ScoringEngine.Score([Q("A"), Q("B")], new Dictionary<string, string?> { ["A"] = "yes" }, SupplierTier.Tier3Standard);
        Assert.Equal(50m, result.OverallScore);
    }

    [Fact]
    public void Score_QuestionsBeyondTheTier_AreIgnored()
    {
        var questions = new[] { Q("BASE"), Q("DEEP", upTo: SupplierTier.Tier1Critical) };
        var answers = new Dictionary<string, string?> { ["BASE"] = "yes", ["DEEP"] = "no" };
        Assert.Equal(100m, ScoringEngine.Score(questions, answers, SupplierTier.Tier3Standard).OverallScore);
        Assert.Equal(50m, ScoringEngine.Score(questions, answers, SupplierTier.Tier1Critical).OverallScore);
    }

    [Fact]
    public void Score_SameAnswersTwice_GivesEqualResults()
    {
        var template = QuestionBankLoader.LoadBank();
        var answers = template.Questions.ToDictionary(q => q.Code, q => (string?)(q.AnswerType == AnswerType.Maturity ? "4" : "partial"));
        var first = ScoringEngine.Score(template.Questions, answers, SupplierTier.Tier3Standard);
        var second = ScoringEngine.Score(template.Questions, answers, SupplierTier.Tier3Standard);
        Assert.Equal(first.OverallScore, second.OverallScore);
        Assert.Equal(first.Sections, second.Sections);
        Assert.Equal(first.Gaps, second.Gaps);
    }

    [Theory]
    [InlineData(SupplierTier.Tier1Critical, 85, 0, RiskRating.Medium)]
    [InlineData(SupplierTier.Tier1Critical, 30, 0, RiskRating.Critical)]
    [InlineData(SupplierTier.Tier3Standard, 30, 0, RiskRating.High)]
    [InlineData(SupplierTier.Tier3Standard, 65, 0, RiskRating.Low)]
    [InlineData(SupplierTier.Tier3Standard, 95, 2, RiskRating.Medium)]
    [InlineData(SupplierTier.Excluded, 10, 0, RiskRating.Unrated)]
    public void Rate_TierAndScore_GiveExpectedRisk(SupplierTier tier, int score, int criticalGaps, RiskRating expected) =>
        Assert.Equal(expected, ScoringEngine.Rate(tier, score, criticalGaps));
}
