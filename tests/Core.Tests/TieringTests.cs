using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Tests;

public sealed class TieringTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private static MaterialityFactors Factors(FactorLevel value, FactorLevel threat = FactorLevel.Negligible, FactorLevel disruption = FactorLevel.Negligible,
        FactorLevel regulatory = FactorLevel.Negligible, FactorLevel substitution = FactorLevel.Negligible, SpecialCargo cargo = SpecialCargo.None) =>
        new(value, threat, disruption, regulatory, substitution, cargo);

    [Theory]
    [InlineData(FactorLevel.Moderate, FactorLevel.Moderate, FactorLevel.Negligible, SupplierTier.Tier3Standard, 2)]
    [InlineData(FactorLevel.High, FactorLevel.High, FactorLevel.Moderate, SupplierTier.Tier2Significant, 5)]
    [InlineData(FactorLevel.High, FactorLevel.High, FactorLevel.High, SupplierTier.Tier2Significant, 6)]
    [InlineData(FactorLevel.Severe, FactorLevel.Negligible, FactorLevel.Negligible, SupplierTier.Tier1Critical, 3)]
    public void Propose_DefaultPolicy_TierFollowsPointsAndSevereFactors(FactorLevel value, FactorLevel threat, FactorLevel disruption, SupplierTier expected, int points)
    {
        var proposal = TierPolicy.Default.Propose(Factors(value, threat, disruption));
        Assert.Equal(expected, proposal.Tier);
        Assert.Equal(points, proposal.Points);
        Assert.NotEmpty(proposal.Reasons);
    }

    [Fact]
    public void Propose_ReachingTier1Threshold_SaysWhichFactorsDroveIt()
    {
        var proposal = TierPolicy.Default.Propose(Factors(FactorLevel.High, FactorLevel.High, FactorLevel.High, FactorLevel.High, FactorLevel.High));
        Assert.Equal(SupplierTier.Tier1Critical, proposal.Tier);
        Assert.StartsWith("10 of 15 materiality points reach the Tier 1 threshold", proposal.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("Value at risk is high (2 points).", proposal.Reasons);
        Assert.Contains("Difficulty of replacing the supplier is high (2 points).", proposal.Reasons);
    }

    [Theory]
    [InlineData(SpecialCargo.HighValue, SupplierTier.Tier2Significant)]
    [InlineData(SpecialCargo.Hazardous, SupplierTier.Tier2Significant)]
    [InlineData(SpecialCargo.Controlled, SupplierTier.Tier1Critical)]
    public void Propose_SpecialCargo_RaisesALowTier(SpecialCargo cargo, SupplierTier expected)
    {
        var proposal = TierPolicy.Default.Propose(Factors(FactorLevel.Negligible, cargo: cargo));
        Assert.Equal(expected, proposal.Tier);
        Assert.Contains(proposal.Reasons, r => r.Contains(cargo == SpecialCargo.HighValue ? "high-value" : cargo.ToString().ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultPolicy_HeavierValidationAndShorterCadenceForMoreCriticalTiers()
    {
        var policy = TierPolicy.Default;
        Assert.Equal(ValidationLevel.OnSiteAudit, policy.Tier1.Validation);
        Assert.Equal(ValidationLevel.RemoteReview, policy.Tier2.Validation);
        Assert.Equal(ValidationLevel.SelfAttestation, policy.Tier3.Validation);
        Assert.True(policy.CadenceMonths(SupplierTier.Tier1Critical) < policy.CadenceMonths(SupplierTier.Tier2Significant));
        Assert.True(policy.CadenceMonths(SupplierTier.Tier2Significant) < policy.CadenceMonths(SupplierTier.Tier3Standard));
        Assert.Equal(policy.Tier2.ExpectedAnswerFraction, policy.ExpectationFor(SupplierTier.Tier2Significant).ExpectedFraction);
    }

    [Fact]
    public void Parse_InvalidPolicy_ListsEveryProblem()
    {
        var json = TierPolicy.Default.ToJson()
            .Replace("\"tier1MinPoints\": 10", "\"tier1MinPoints\": 3", StringComparison.Ordinal)
            .Replace("\"reassessmentMonths\": 36", "\"reassessmentMonths\": 0", StringComparison.Ordinal)
            .Replace("\"validation\": \"onSiteAudit\"", "\"validation\": \"selfAttestation\"", StringComparison.Ordinal);
        var ex = Assert.Throws<TierPolicyInvalidException>(() => TierPolicy.Parse(json, 1));
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public void Parse_UnknownField_ReportsTheLine()
    {
        var ex = Assert.Throws<TierPolicyInvalidException>(() => TierPolicy.Parse("{\n \"proposal\": {},\n \"tier9\": {} }", 1));
        Assert.StartsWith("Line 3", ex.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_AcceptedProposal_ChangesTierAndRecordsHistory()
    {
        await using var database = await SeededAsync();
        await using var db = database.CreateContext();
        var handler = new ClassifySupplierHandler(db, _clock);
        var outcome = await handler.AssessAsync(new AssessMaterialityRequest(DemoData.CalderaSupplierId, Factors(FactorLevel.Severe), null, AcceptProposal: true), CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(SupplierTier.Tier1Critical, outcome.Value!.ProposedTier);
        Assert.Contains("Value at risk is severe", outcome.Value.Reasons, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(SupplierTier.Tier1Critical, (await check.Suppliers.SingleAsync(s => s.Id == DemoData.CalderaSupplierId)).Tier);
        var history = await new ClassifySupplierHandler(check, _clock).HistoryAsync(DemoData.CalderaSupplierId, CancellationToken.None);
        var entry = history.Single();
        Assert.Equal((TierDecisionSource.Proposal, SupplierTier.Tier3Standard, SupplierTier.Tier1Critical, 0), (entry.Source, entry.PreviousTier!.Value, entry.Tier, entry.PolicyVersion));
    }

    [Fact]
    public async Task Assess_NotAccepted_LeavesTheTierForAPersonToDecide()
    {
        await using var database = await SeededAsync();
        await using var db = database.CreateContext();
        await new ClassifySupplierHandler(db, _clock).AssessAsync(new AssessMaterialityRequest(DemoData.CalderaSupplierId, Factors(FactorLevel.Severe), null, AcceptProposal: false), CancellationToken.None);
        Assert.Equal(SupplierTier.Tier3Standard, (await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.CalderaSupplierId)).Tier);
        Assert.Empty(await db.TierDecisions.Where(d => d.SupplierId == DemoData.CalderaSupplierId).ToListAsync());
        Assert.Single(await db.MaterialityAssessments.Where(m => m.SupplierId == DemoData.CalderaSupplierId).ToListAsync());
    }

    [Theory]
    [InlineData(SupplierTier.Excluded, null)]
    [InlineData(SupplierTier.Excluded, "too short")]
    [InlineData(SupplierTier.Tier2Significant, "   ")]
    public async Task Override_WithoutJustification_IsRefusedAndChangesNothing(SupplierTier tier, string? justification)
    {
        await using var database = await SeededAsync();
        await using var db = database.CreateContext();
        var outcome = await new ClassifySupplierHandler(db, _clock).OverrideAsync(new OverrideTierRequest(DemoData.CalderaSupplierId, tier, justification, null), CancellationToken.None);
        Assert.Equal(OutcomeStatus.Invalid, outcome.Status);
        Assert.Contains("Justification", outcome.Errors.Keys);
        Assert.Empty(await db.TierDecisions.Where(d => d.SupplierId == DemoData.CalderaSupplierId).ToListAsync());
    }

    [Fact]
    public async Task Override_TwiceWithJustification_KeepsBothInHistory()
    {
        await using var database = await SeededAsync();
        await using (var db = database.CreateContext())
        {
            var handler = new ClassifySupplierHandler(db, _clock);
            Assert.True((await handler.OverrideAsync(new(DemoData.CalderaSupplierId, SupplierTier.Tier2Significant, "Sole source of the braking components for two product lines.", null), CancellationToken.None)).Succeeded);
            _clock.Advance(TimeSpan.FromDays(1));
            Assert.True((await handler.OverrideAsync(new(DemoData.CalderaSupplierId, SupplierTier.Excluded, "Contract ended; no goods have moved since June and none are planned.", null), CancellationToken.None)).Succeeded);
        }

        await using var check = database.CreateContext();
        var history = await new ClassifySupplierHandler(check, _clock).HistoryAsync(DemoData.CalderaSupplierId, CancellationToken.None);
        Assert.Equal([(SupplierTier.Excluded, SupplierTier.Tier2Significant), (SupplierTier.Tier2Significant, SupplierTier.Tier3Standard)], history.Select(h => (h.Tier, h.PreviousTier!.Value)));
        Assert.All(history, h => Assert.Equal(TierDecisionSource.Override, h.Source));
    }

    [Fact]
    public async Task Override_UnknownSupplier_IsNotFound()
    {
        await using var database = await SeededAsync();
        await using var db = database.CreateContext();
        var outcome = await new ClassifySupplierHandler(db, _clock).OverrideAsync(new(Guid.NewGuid(), SupplierTier.Tier1Critical, "A justification that is long enough.", null), CancellationToken.None);
        Assert.Equal(OutcomeStatus.NotFound, outcome.Status);
    }

    [Fact]
    public async Task PublishPolicy_NewVersion_BecomesCurrentAndProposalsRecordIt()
    {
        await using var database = await SeededAsync();
        await using var db = database.CreateContext();
        var store = new TierPolicyStore(db, _clock);
        var stricter = TierPolicy.Default.ToJson().Replace("\"tier2MinPoints\": 5", "\"tier2MinPoints\": 2", StringComparison.Ordinal);
        var published = await store.PublishAsync(stricter, null, CancellationToken.None);
        Assert.True(published.Succeeded);
        Assert.Equal(1, published.Value!.Version);
        Assert.Equal(2, (await store.CurrentAsync(CancellationToken.None)).Proposal.Tier2MinPoints);

        var assessed = await new ClassifySupplierHandler(db, _clock).AssessAsync(new(DemoData.CalderaSupplierId, Factors(FactorLevel.Moderate, FactorLevel.Moderate), null, true), CancellationToken.None);
        Assert.Equal((SupplierTier.Tier2Significant, 1), (assessed.Value!.ProposedTier, assessed.Value.PolicyVersion));

        var invalid = await store.PublishAsync("{ \"proposal\": 3 }", null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.Invalid, invalid.Status);
        Assert.Equal(1, (await store.CurrentAsync(CancellationToken.None)).Version);
    }

    private async Task<TestDatabase> SeededAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        await DemoDataSeeder.SeedAsync(db, _clock, CancellationToken.None);
        return database;
    }
}
