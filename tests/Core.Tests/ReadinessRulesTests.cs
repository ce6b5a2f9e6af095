using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

public sealed class ReadinessRulesTests
{
    private static readonly QuestionnaireTemplate Bank = QuestionBankLoader.LoadBank();

    private static Dictionary<string, string?> AllBest() => Bank.Questions.ToDictionary(q => q.Code, q => (string?)(q.AnswerType switch
    {
        AnswerType.YesPartialNo => "yes",
        AnswerType.Maturity => "5",
        AnswerType.SingleChoice => q.Options.MaxBy(o => o.Score)!.Value,
        AnswerType.MultipleChoice => string.Join(',', q.Options.Select(o => o.Value)),
        AnswerType.Number => "1",
        AnswerType.Date => "2026-01-31",
        _ => "Notes.",
    }));

    [Fact]
    public void Rules_ReferOnlyToQuestionsOfTheBank_AndCoverTheChecklistAndTheGaps()
    {
        var codes = Bank.Questions.Select(q => q.Code).ToHashSet();
        Assert.All(ReadinessRules.All, r => Assert.All(r.QuestionCodes, c => Assert.Contains(c, codes)));
        Assert.Equal(14, ReadinessRules.All.Count(r => r.Kind == RuleKind.Readiness));
        Assert.Equal(14, ReadinessRules.All.Count(r => r.Kind == RuleKind.CommonGap));
        Assert.Equal(ReadinessRules.All.Count, ReadinessRules.All.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Evaluate_Tier1WithEverythingInPlace_AllPass()
    {
        var evidence = Bank.Questions.Select(q => q.Code).ToHashSet();
        var results = ReadinessRules.Evaluate(Bank.Questions, AllBest(), evidence, SupplierTier.Tier1Critical);
        Assert.All(results, r => Assert.Equal(RuleOutcome.Pass, r.Outcome));
    }

    [Fact]
    public void Evaluate_Tier3_RulesOnDeeperQuestionsAreUnknownWithTheReason()
    {
        var results = ReadinessRules.Evaluate(Bank.Questions, AllBest(), new HashSet<string>(), SupplierTier.Tier3Standard);
        var scope = results.Single(r => r.Rule.Id == "R02");
        Assert.Equal(RuleOutcome.Unknown, scope.Outcome);
        Assert.Equal("CTX-08 is not asked of this supplier.", scope.Reason);
    }

    [Fact]
    public void Evaluate_FailingAnswerOrMissingEvidence_FailsWithTheAnswerThatDecided()
    {
        var answers = AllBest();
        answers["LEAD-01"] = "partial";
        answers["PLAN-05"] = null;
        var evidence = Bank.Questions.Select(q => q.Code).Where(c => c != "CGO-02").ToHashSet();
        var results = ReadinessRules.Evaluate(Bank.Questions, answers, evidence, SupplierTier.Tier1Critical).ToDictionary(r => r.Rule.Id);

        Assert.Equal((RuleOutcome.Fail, "LEAD-01 is answered \"partial\", below what this rule needs."), (results["R01"].Outcome, results["R01"].Reason));
        Assert.Equal((RuleOutcome.Unknown, "PLAN-05 is not answered."), (results["G02"].Outcome, results["G02"].Reason));
        Assert.Equal((RuleOutcome.Fail, "Gap present: CGO-02 has no evidence attached."), (results["G07"].Outcome, results["G07"].Reason));
        Assert.Equal(RuleOutcome.Pass, results["R03"].Outcome);
    }

    [Fact]
    public void Evaluate_NotApplicableAnswer_IsUnknown()
    {
        var answers = AllBest();
        answers["SUP-13"] = "na";
        var result = ReadinessRules.Evaluate(Bank.Questions, answers, new HashSet<string>(), SupplierTier.Tier1Critical).Single(r => r.Rule.Id == "R11");
        Assert.Equal((RuleOutcome.Unknown, "SUP-13 is marked as not applicable."), (result.Outcome, result.Reason));
    }
}
