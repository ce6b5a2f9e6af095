using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Tests;

/// <summary>Routing of a scored submission by the tier policy's data, and the policy version an assessment keeps.</summary>
public sealed class PolicyRoutingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    private static ScoreResult Result(decimal score, int criticalGaps = 0) =>
        new("test", score, 3, RiskRating.Low, [], [], criticalGaps, 10, [], [], [], []);

    /// <summary>The shipped policy with Tier 3 checked by a reviewer instead of by self-attestation.</summary>
    private static string Tier3RemoteReviewJson() => TierPolicy.Default.ToJson()
        .Replace("\"validation\": \"selfAttestation\"", "\"validation\": \"remoteReview\"", StringComparison.Ordinal)
        .Replace(",\n    \"autoApproveMinScore\": 70", string.Empty, StringComparison.Ordinal);

    [Theory]
    [InlineData(SupplierTier.Tier1Critical, 100, 0, ReviewRoute.Audit)]
    [InlineData(SupplierTier.Tier2Significant, 100, 0, ReviewRoute.HumanReview)]
    [InlineData(SupplierTier.Tier3Standard, 70, 0, ReviewRoute.AutoApprove)]
    [InlineData(SupplierTier.Tier3Standard, 69.9, 0, ReviewRoute.HumanReview)]
    [InlineData(SupplierTier.Tier3Standard, 95, 1, ReviewRoute.HumanReview)]
    [InlineData(SupplierTier.Excluded, 100, 0, ReviewRoute.HumanReview)]
    public void Decide_ShippedPolicy_KeepsTheRoutesItHadInCode(SupplierTier tier, double score, int criticalGaps, ReviewRoute expected)
    {
        Assert.Equal(expected, ReviewRoutingPolicy.Decide(tier, Result((decimal)score, criticalGaps), TierPolicy.Default));
    }

    [Fact]
    public void ShippedPolicy_Tier3AutoApprovesAt70AndOnlyTier3HasAThreshold()
    {
        Assert.Equal(70m, TierPolicy.Default.Tier3.AutoApproveMinScore);
        Assert.Null(TierPolicy.Default.Tier1.AutoApproveMinScore);
        Assert.Null(TierPolicy.Default.Tier2.AutoApproveMinScore);
    }

    [Fact]
    public void Decide_Tier3SetToRemoteReview_StrongSubmissionGoesToAReviewer()
    {
        var policy = TierPolicy.Parse(Tier3RemoteReviewJson(), 1);
        Assert.Equal(ReviewRoute.HumanReview, ReviewRoutingPolicy.Decide(SupplierTier.Tier3Standard, Result(100m), policy));
    }

    [Fact]
    public void Decide_ThresholdRaisedTo90_A70NoLongerAutoApproves()
    {
        var policy = TierPolicy.Parse(TierPolicy.Default.ToJson().Replace("\"autoApproveMinScore\": 70", "\"autoApproveMinScore\": 90", StringComparison.Ordinal), 1);
        Assert.Equal(ReviewRoute.HumanReview, ReviewRoutingPolicy.Decide(SupplierTier.Tier3Standard, Result(85m), policy));
        Assert.Equal(ReviewRoute.AutoApprove, ReviewRoutingPolicy.Decide(SupplierTier.Tier3Standard, Result(90m), policy));
    }

    [Fact]
    public void Decide_SelfAttestationWithoutThreshold_EverySubmissionGoesToAReviewer()
    {
        var policy = TierPolicy.Parse(TierPolicy.Default.ToJson().Replace(",\n    \"autoApproveMinScore\": 70", string.Empty, StringComparison.Ordinal), 1);
        Assert.Equal(ValidationLevel.SelfAttestation, policy.Tier3.Validation);
        Assert.Equal(ReviewRoute.HumanReview, ReviewRoutingPolicy.Decide(SupplierTier.Tier3Standard, Result(100m), policy));
    }

    [Fact]
    public void Decide_Tier2SetToOnSiteAudit_GoesToAudit()
    {
        var policy = TierPolicy.Parse(TierPolicy.Default.ToJson().Replace("\"validation\": \"remoteReview\"", "\"validation\": \"onSiteAudit\"", StringComparison.Ordinal), 1);
        Assert.Equal(ReviewRoute.Audit, ReviewRoutingPolicy.Decide(SupplierTier.Tier2Significant, Result(100m), policy));
    }

    [Fact]
    public void Parse_ThresholdOnAReviewedTierOrOutOfRange_ListsBothProblems()
    {
        var json = TierPolicy.Default.ToJson()
            .Replace("\"validation\": \"selfAttestation\"", "\"validation\": \"remoteReview\"", StringComparison.Ordinal)
            .Replace("\"expectedAnswerFraction\": 1.0", "\"expectedAnswerFraction\": 1.0,\n    \"autoApproveMinScore\": 101", StringComparison.Ordinal);
        var ex = Assert.Throws<TierPolicyInvalidException>(() => TierPolicy.Parse(json, 1));
        Assert.Contains(ex.Problems, p => p.StartsWith("tier3: autoApproveMinScore applies only to a selfAttestation tier", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("tier1: autoApproveMinScore applies only to a selfAttestation tier", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ThresholdAbove100_IsAProblem()
    {
        var json = TierPolicy.Default.ToJson().Replace("\"autoApproveMinScore\": 70", "\"autoApproveMinScore\": 100.5", StringComparison.Ordinal);
        var ex = Assert.Throws<TierPolicyInvalidException>(() => TierPolicy.Parse(json, 1));
        Assert.Equal("tier3: autoApproveMinScore is between 0 and 100.", Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task ScoreSubmitted_ShippedPolicy_AutoApprovesAndStoresVersion0()
    {
        await using var database = await SubmittedMeridianAsync();
        await using (var db = database.CreateContext())
        {
            var outcome = await new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            Assert.Equal(ReviewRoute.AutoApprove, outcome!.Route);
        }

        await using var check = database.CreateContext();
        var assessment = await check.Assessments.SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        Assert.Equal((AssessmentState.Approved, 0), (assessment.State, assessment.TierPolicyVersion));
        Assert.Contains("tier policy version 0", (await check.StatusChanges.SingleAsync(c => c.SupplierId == DemoData.MeridianSupplierId)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreSubmitted_PublishedPolicyWithTier3RemoteReview_StrongTier3GoesToReviewAndKeepsTheVersion()
    {
        await using var database = await SubmittedMeridianAsync();
        await using (var db = database.CreateContext())
        {
            var published = await new TierPolicyStore(db, _clock).PublishAsync(Tier3RemoteReviewJson(), null, CancellationToken.None);
            Assert.True(published.Succeeded, string.Join(" ", published.Errors.SelectMany(e => e.Value)));
            var outcome = await new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            Assert.Equal(ReviewRoute.HumanReview, outcome!.Route);
            Assert.True(outcome.OverallScore > 90m);
        }

        await using (var db = database.CreateContext())
        {
            // A later policy does not rewrite what the assessment was scored under.
            var later = await new TierPolicyStore(db, _clock).PublishAsync(TierPolicy.Default.ToJson(), null, CancellationToken.None);
            Assert.Equal(2, later.Value!.Version);
        }

        await using var check = database.CreateContext();
        var assessment = await check.Assessments.SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        Assert.Equal((AssessmentState.UnderReview, 1), (assessment.State, assessment.TierPolicyVersion));
        Assert.Equal(AssuranceStatus.UnderReview, (await check.Suppliers.SingleAsync(s => s.Id == DemoData.MeridianSupplierId)).AssuranceStatus);
    }

    /// <summary>A seeded database where Meridian (Tier 3) has answered every question well and submitted.</summary>
    private async Task<TestDatabase> SubmittedMeridianAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var seed = database.CreateContext();
        await DemoDataSeeder.SeedAsync(seed, _clock, CancellationToken.None);
        var assessment = await seed.Assessments.SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        Assert.Equal(SupplierTier.Tier3Standard, assessment.TierAtIssue);
        var questions = await seed.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).ToListAsync();
        foreach (var q in questions)
        {
            seed.Answers.Add(new Answer
            {
                AssessmentId = assessment.Id,
                SupplierId = assessment.SupplierId,
                QuestionCode = q.Code,
                Value = q.AnswerType switch { AnswerType.Maturity => "4", AnswerType.Text => "ok", _ => "yes" },
            });
        }

        assessment.State = AssessmentState.Submitted;
        await seed.SaveChangesAsync();
        return database;
    }
}
