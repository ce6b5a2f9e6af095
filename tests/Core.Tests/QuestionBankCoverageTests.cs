using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>What the shipped bank must cover, checked on the data itself rather than on a hand-kept list.</summary>
public sealed class QuestionBankCoverageTests
{
    private static readonly QuestionnaireTemplate Bank = QuestionBankLoader.LoadBank();

    public static TheoryData<SupplierTier> Tiers => [SupplierTier.Tier1Critical, SupplierTier.Tier2Significant, SupplierTier.Tier3Standard];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void EveryClauseArea_HasAQuestionIntroducedAtEveryTier(SupplierTier tier)
    {
        // "Introduced at" = the least demanding tier that gets it, so each tier adds depth in every area.
        var missing = Frameworks.ClauseAreas.Where(area => !Bank.Questions.Any(q => q.Clause == area && q.AppliesUpToTier == tier)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void EveryControlDomain_HasAQuestionIntroducedAtEveryTier(SupplierTier tier)
    {
        var missing = Enum.GetValues<ControlDomain>().Where(d => !Bank.Questions.Any(q => q.Domain == d && q.AppliesUpToTier == tier)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void EveryAreaAndDomain_IsCoveredForASupplierOfUnknownRoles(SupplierTier tier)
    {
        // Conditional questions aside, every supplier is asked about every area and domain.
        var asked = Bank.Questions.Where(q => q.AppliesTo(tier) && q.ShowWhenSupplierRoles == SupplyChainRoles.None && q.ShowWhenQuestion is null).ToList();
        Assert.Empty(Frameworks.ClauseAreas.Except(asked.Select(q => q.Clause)));
        Assert.Empty(Enum.GetValues<ControlDomain>().Except(asked.Where(q => q.Domain is not null).Select(q => q.Domain!.Value)));
    }

    [Fact]
    public void TierSets_Nest_Tier1GetsEverything()
    {
        var tier1 = Bank.Questions.Where(q => q.AppliesTo(SupplierTier.Tier1Critical)).ToList();
        var tier2 = Bank.Questions.Where(q => q.AppliesTo(SupplierTier.Tier2Significant)).ToList();
        var tier3 = Bank.Questions.Where(q => q.AppliesTo(SupplierTier.Tier3Standard)).ToList();
        Assert.Equal(Bank.Questions.Count, tier1.Count);
        Assert.True(tier3.Count < tier2.Count && tier2.Count < tier1.Count, $"{tier3.Count} < {tier2.Count} < {tier1.Count}");
        Assert.Empty(tier3.Except(tier2));
        Assert.DoesNotContain(Bank.Questions, q => q.AppliesTo(SupplierTier.Excluded));
    }

    [Fact]
    public void EveryCode_IsUnique()
    {
        var duplicates = Bank.Questions.GroupBy(q => q.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryQuestion_IsMappedToTheFrameworksThatConcernIt()
    {
        Assert.All(Bank.Questions, q =>
        {
            Assert.True(Frameworks.IsClauseArea(q.Clause), q.Code);
            Assert.True(Frameworks.CtpatAreas.Contains(q.Mappings.Ctpat!), q.Code);
            Assert.True(Frameworks.AeoAreas.Contains(q.Mappings.Aeo!), q.Code);
            if (q.Domain == ControlDomain.Information)
            {
                Assert.True(Frameworks.IsAnnexAControl(q.Mappings.Iso27001), q.Code);
            }

            if (q.Domain is ControlDomain.Physical or ControlDomain.Transport)
            {
                Assert.True(Frameworks.IsTapaReference(q.Mappings.Tapa), q.Code);
            }

            if (q.ShowWhenSupplierRoles.HasFlag(SupplyChainRoles.Port))
            {
                Assert.False(string.IsNullOrWhiteSpace(q.Mappings.Isps), q.Code);
            }
        });
    }

    [Fact]
    public void EveryScoredQuestion_SaysWhatEvidenceEachTierAttaches()
    {
        Assert.All(Bank.Questions.Where(q => q.IsScored), q =>
        {
            foreach (var tier in new[] { SupplierTier.Tier1Critical, SupplierTier.Tier2Significant, SupplierTier.Tier3Standard }.Where(q.AppliesTo))
            {
                Assert.False(string.IsNullOrWhiteSpace(q.EvidenceFor(tier)), $"{q.Code} at {tier}");
            }
        });
    }

    [Fact]
    public void Bank_UsesEveryAnswerTypeAndHasConditionalAndCriticalQuestions()
    {
        Assert.Equal(Enum.GetValues<AnswerType>().ToHashSet(), Bank.Questions.Select(q => q.AnswerType).ToHashSet());
        Assert.Contains(Bank.Questions, q => q.ShowWhenSupplierRoles.HasFlag(SupplyChainRoles.Carrier));
        Assert.Contains(Bank.Questions, q => q.ShowWhenQuestion is not null);
        // Seal control for sea freight is the guide's example of a knock-out control.
        Assert.Contains(Bank.Questions, q => q.Critical && q.Domain == ControlDomain.Cargo && q.ShowWhenAnyOf == "sea");
    }

    [Fact]
    public void TransportQuestion_IsShownToCarriersAndUnknownRolesButNotToManufacturers()
    {
        var question = Bank.Questions.First(q => q.ShowWhenSupplierRoles.HasFlag(SupplyChainRoles.Carrier));
        var none = new Dictionary<string, string?>();
        Assert.True(question.IsShown(SupplyChainRoles.Carrier | SupplyChainRoles.Warehouse, none));
        Assert.True(question.IsShown(SupplyChainRoles.None, none));
        Assert.False(question.IsShown(SupplyChainRoles.Manufacturer, none));
    }

    [Fact]
    public void SeaSealQuestion_IsShownOnlyWhenSeaFreightIsChosen()
    {
        var question = Bank.Questions.First(q => q.ShowWhenQuestion is not null);
        Assert.True(question.IsShown(SupplyChainRoles.None, new Dictionary<string, string?> { [question.ShowWhenQuestion!] = "sea" }));
        Assert.False(question.IsShown(SupplyChainRoles.None, new Dictionary<string, string?> { [question.ShowWhenQuestion!] = "road" }));
        Assert.False(question.IsShown(SupplyChainRoles.None, new Dictionary<string, string?>()));
    }
}
