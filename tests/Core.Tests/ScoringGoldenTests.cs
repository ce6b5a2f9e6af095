using System.Text.Json;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>A small questionnaire scored by hand; every number below is worked out in the comments.</summary>
public sealed class ScoringGoldenTests
{
    private static TemplateQuestion Q(string code, string clause, AnswerType type, decimal weight, ControlDomain? domain = null, bool critical = false, List<AnswerOption>? options = null, SupplyChainRoles roles = SupplyChainRoles.None) =>
        new()
        {
            Code = code, Clause = clause, Section = domain?.ToString() ?? "Clause " + clause.Split('.')[0], Text = code, AnswerType = type, Weight = weight,
            Domain = domain, Critical = critical, Options = options ?? [], ShowWhenSupplierRoles = roles, EvidenceExpected = "a document", Order = code[0],
        };

    private static readonly TemplateQuestion[] Questions =
    [
        Q("A", "4.1", AnswerType.YesPartialNo, 2),
        Q("B", "8.4", AnswerType.YesPartialNo, 3, ControlDomain.Cargo, critical: true),
        Q("C", "8.4", AnswerType.Maturity, 4, ControlDomain.Physical),
        Q("D", "9.2", AnswerType.SingleChoice, 1, options: [new("full", "Full", 1), new("half", "Half", 0.5m), new("none", "None", 0)]),
        Q("E", "8.4", AnswerType.MultipleChoice, 2, ControlDomain.Cargo, options: [new("x", "X", 0.5m), new("y", "Y", 0.5m), new("z", "Z", 0.25m)]),
        Q("F", "10.2", AnswerType.YesPartialNo, 1),
        Q("G", "4.2", AnswerType.YesPartialNo, 5),
        Q("H", "7.1", AnswerType.Number, 0),
        Q("I", "8.4", AnswerType.YesPartialNo, 2, ControlDomain.Transport, roles: SupplyChainRoles.Carrier),
    ];

    private static readonly Dictionary<string, string?> Answers = new()
    {
        ["A"] = "yes", ["B"] = "partial", ["C"] = "3", ["D"] = "half", ["E"] = "x,z", ["F"] = "no", ["G"] = "na", ["H"] = "12", ["I"] = "no",
    };

    private static ScoreResult Golden() => ScoringEngine.Score(ScoringModel.Compile(Questions), Answers,
        new ScoringContext(SupplierTier.Tier2Significant, SupplyChainRoles.Manufacturer, new HashSet<string> { "A", "B" }));

    [Fact]
    public void Score_GoldenCase_OverallClausesAndDomains()
    {
        var result = Golden();
        // Scored: A 2×1, B 3×0.5, C 4×0.5, D 1×0.5, E 2×0.75, F 1×0 = 7.5 of 13. G is n/a, H a number, I hidden from a manufacturer.
        Assert.Equal(57.7m, result.OverallScore);
        Assert.Equal(3, result.MaturityLevel);
        Assert.Equal(6, result.ScoredQuestionCount);
        Assert.Equal(ScoringEngine.ModelVersion, result.ModelVersion);
        // Clause 8: (1.5 + 2 + 1.5) / 9; clause 9: 0.5 / 1; clause 10: 0 / 1.
        Assert.Equal([("4", 100m, 5), ("8", 55.6m, 3), ("9", 50m, 3), ("10", 0m, 1)], result.Clauses.Select(c => (c.Key, c.Score, c.MaturityLevel)));
        // Cargo: (1.5 + 1.5) / 5; physical: 2 / 4; transport is hidden, so absent.
        Assert.Equal([("Physical", 50m), ("Cargo", 60m)], result.Domains.Select(d => (d.Key, d.Score)));
        // 57.7 is weakness 2, one critical gap makes 3; Tier 2 adds nothing: the top rating.
        Assert.Equal(RiskRating.Critical, result.RiskRating);
    }

    [Fact]
    public void Score_GoldenCase_GapsAndGradedFindings()
    {
        var result = Golden();
        // Tier 2 expects three quarters: B (critical), C, D and F fall short; E at exactly 0.75 does not.
        Assert.Equal(["B", "C", "D", "F"], result.Gaps.Select(g => g.QuestionCode));
        Assert.Equal(1, result.CriticalGapCount);
        Assert.Equal(
            [
                ("B", FindingGrade.MajorNonconformity),
                ("C", FindingGrade.OpportunityForImprovement), ("C", FindingGrade.MinorNonconformity),
                ("D", FindingGrade.OpportunityForImprovement), ("D", FindingGrade.MinorNonconformity),
                ("E", FindingGrade.MinorNonconformity),
                ("F", FindingGrade.MinorNonconformity),
            ],
            result.Findings.Select(f => (f.QuestionCode, f.Grade)));
        Assert.Contains("evidence", result.Findings.Single(f => f.QuestionCode == "E").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Clause8_ListsTheAnswersThatCostMostFirst()
    {
        // Of clause 8's 9 possible: C loses 2 (22.2 points), B 1.5 (16.7), E 0.5 (5.6).
        var explanation = ScoreExplanation.Explain(Golden(), ScoreScope.Clause, "8");
        Assert.Equal([("C", 22.2m), ("B", 16.7m), ("E", 5.6m)], explanation.Select(c => (c.QuestionCode, c.PointsLost)));
        Assert.Equal("3", explanation[0].Answer);
    }

    [Fact]
    public void WhatToFixFirst_MajorThenMinorThenImprovement_EachByPointsLost()
    {
        // Overall possible 13: C costs 15.4, F 7.7, D and E 3.8 each (then by code).
        var order = ScoreExplanation.WhatToFixFirst(Golden()).Select(p => (p.Finding.QuestionCode, p.Finding.Grade)).ToList();
        Assert.Equal(
            [
                ("B", FindingGrade.MajorNonconformity),
                ("C", FindingGrade.MinorNonconformity), ("F", FindingGrade.MinorNonconformity), ("D", FindingGrade.MinorNonconformity), ("E", FindingGrade.MinorNonconformity),
                ("C", FindingGrade.OpportunityForImprovement), ("D", FindingGrade.OpportunityForImprovement),
            ],
            order);
    }

    [Fact]
    public void Score_SameAnswersInAnotherOrder_GivesTheSameSnapshot()
    {
        var reversed = Answers.Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);
        var context = new ScoringContext(SupplierTier.Tier2Significant, SupplyChainRoles.Manufacturer, new HashSet<string> { "B", "A" });
        var again = ScoringEngine.Score(ScoringModel.Compile(Questions.Reverse().ToArray()), reversed, context);
        Assert.Equal(JsonSerializer.Serialize(Golden()), JsonSerializer.Serialize(again));
    }

    [Fact]
    public void Score_CarrierSeesTheTransportQuestion()
    {
        var result = ScoringEngine.Score(ScoringModel.Compile(Questions), Answers, new ScoringContext(SupplierTier.Tier2Significant, SupplyChainRoles.Carrier));
        Assert.Contains(result.Domains, d => d.Key == "Transport" && d.Score == 0m);
        Assert.Equal(7, result.ScoredQuestionCount);
    }
}
