using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Tests;

/// <summary>The demo's Tier 1, 2 and 3 questionnaires all come from the one bank, at the depth each tier decides.</summary>
public sealed class DemoQuestionnaireTests
{
    [Fact]
    public async Task Seed_FourSuppliersAtThreeTiers_QuestionnairesFromTheBankWithTierHistory()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        await DemoDataSeeder.SeedAsync(db, new FakeTimeProvider(new DateTimeOffset(2026, 11, 4, 9, 0, 0, TimeSpan.Zero)), CancellationToken.None);

        var bank = QuestionBankLoader.LoadBank();
        var template = await db.QuestionnaireTemplates.Include(t => t.Questions).SingleAsync();
        Assert.Equal((bank.Code, bank.Questions.Count), (template.Code, template.Questions.Count));

        var assessments = await db.Assessments.Include(a => a.Supplier).ToListAsync();
        int Asked(Guid supplierId) => template.Questions.Count(q => q.AppliesTo(assessments.Single(a => a.SupplierId == supplierId).TierAtIssue));
        Assert.Equal(SupplierTier.Tier1Critical, assessments.Single(a => a.SupplierId == DemoData.NorthgateSupplierId).TierAtIssue);
        Assert.Equal(SupplierTier.Tier2Significant, assessments.Single(a => a.SupplierId == DemoData.OakridgeSupplierId).TierAtIssue);
        Assert.Equal(SupplierTier.Tier3Standard, assessments.Single(a => a.SupplierId == DemoData.MeridianSupplierId).TierAtIssue);
        Assert.True(Asked(DemoData.NorthgateSupplierId) > Asked(DemoData.OakridgeSupplierId));
        Assert.True(Asked(DemoData.OakridgeSupplierId) > Asked(DemoData.MeridianSupplierId));
        Assert.Equal(bank.Questions.Count, Asked(DemoData.NorthgateSupplierId));

        var decisions = await db.TierDecisions.ToListAsync();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(TierDecisionSource.Proposal, d.Source));
    }
}
