using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Remediation;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// A supplier user's start page: what is due and what is late, only for its own organisation. One host serves the
/// class: each test works on suppliers of its own, each set up like Meridian with its admin and an open
/// questionnaire (<see cref="SharedPortalFixture.AddQuestionnaireAsync"/>); "other" is a second such supplier.
/// </summary>
public sealed class SupplierHomeTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private readonly PortalFactory _portal = fixture.Portal;

    private Task<OwnQuestionnaire> OrganisationAsync() => fixture.AddQuestionnaireAsync("Home Test");

    [Fact]
    public async Task Home_QuestionnairePastDue_ListedAsLateWithDaysLate()
    {
        var own = await OrganisationAsync();
        var other = await OrganisationAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == own.AssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, today.AddDays(-4)));
            await db.Assessments.Where(a => a.Id == other.AssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, today.AddDays(-9)));
        }

        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (response, page) = await session.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var late = Assert.Single(page.QuerySelectorAll("[data-testid=late-item]"));
        Assert.Contains("4 days late", late.TextContent, StringComparison.Ordinal);
        Assert.NotNull(late.QuerySelector($"a[href='/Assessments/{own.AssessmentId}']"));
        Assert.Empty(page.QuerySelectorAll("[data-testid=due-item]"));
        Assert.DoesNotContain("9 days late", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_QuestionnaireNotYetDue_ListedAsDueWithDaysLeft()
    {
        var own = await OrganisationAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var db = _portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == own.AssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, today.AddDays(12)));
        }

        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (_, page) = await session.GetPageAsync("/");

        var due = Assert.Single(page.QuerySelectorAll("[data-testid=due-item]"));
        Assert.Contains("in 12 days", due.TextContent, StringComparison.Ordinal);
        Assert.NotNull(due.QuerySelector($"a[href='/Assessments/{own.AssessmentId}']"));
        Assert.Empty(page.QuerySelectorAll("[data-testid=late-item]"));
        Assert.Contains("Nothing is late.", page.QuerySelector("[data-testid=home-late]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_SubmittedQuestionnaire_IsNeitherDueNorLate()
    {
        var own = await OrganisationAsync();
        await using (var db = _portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == own.AssessmentId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.DueDate, new DateOnly(2020, 1, 1)));
        }

        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (_, page) = await session.GetPageAsync("/");
        Assert.Empty(page.QuerySelectorAll("[data-testid=late-item]"));
        Assert.Empty(page.QuerySelectorAll("[data-testid=due-item]"));
        // Still listed among all questionnaires.
        Assert.NotNull(page.QuerySelector($"[data-testid=assessment-link][href='/Assessments/{own.AssessmentId}']"));
    }

    [Fact]
    public async Task Home_OpenFindingsWithDueDates_ListedOwnOnlyAndLateMarked()
    {
        var own = await OrganisationAsync();
        var other = await OrganisationAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var db = _portal.CreateDbContext())
        {
            db.Set<AssessmentFinding>().AddRange(
                new AssessmentFinding
                {
                    Id = Guid.NewGuid(), SupplierId = own.SupplierId, AssessmentId = own.AssessmentId, Source = FindingSource.Review,
                    Grade = NonconformityGrade.MajorNonconformity, Reference = "8.1", Summary = "Gate log missing for night shifts", DueDate = today.AddDays(-2), RaisedAt = DateTimeOffset.UtcNow,
                },
                new AssessmentFinding
                {
                    Id = Guid.NewGuid(), SupplierId = other.SupplierId, AssessmentId = other.AssessmentId, Source = FindingSource.Review,
                    Grade = NonconformityGrade.MinorNonconformity, Summary = "The other organisation's finding", DueDate = today.AddDays(5), RaisedAt = DateTimeOffset.UtcNow,
                });
            await db.SaveChangesAsync();
        }

        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (_, page) = await session.GetPageAsync("/");
        var finding = Assert.Single(page.QuerySelectorAll("[data-testid=finding-item]"));
        Assert.Contains("Gate log missing for night shifts", finding.TextContent, StringComparison.Ordinal);
        Assert.Contains("(late)", finding.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("The other organisation's finding", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_OpenCorrectiveActions_OwnOnlyWithStageDueAndLateMarked()
    {
        var own = await OrganisationAsync();
        var other = await OrganisationAsync();
        var now = DateTimeOffset.UtcNow;
        var meridianCase = Guid.NewGuid();
        await using (var db = _portal.CreateDbContext())
        {
            var meridianFinding = Guid.NewGuid();
            var calderaFinding = Guid.NewGuid();
            db.Set<AssessmentFinding>().AddRange(
                new AssessmentFinding
                {
                    Id = meridianFinding, SupplierId = own.SupplierId, AssessmentId = own.AssessmentId, Source = FindingSource.Audit,
                    Grade = NonconformityGrade.MinorNonconformity, Summary = "Visitor badges not returned at exit", RaisedAt = now,
                },
                new AssessmentFinding
                {
                    Id = calderaFinding, SupplierId = other.SupplierId, AssessmentId = other.AssessmentId, Source = FindingSource.Audit,
                    Grade = NonconformityGrade.MajorNonconformity, Summary = "The other organisation's corrective action", RaisedAt = now,
                });
            db.Set<RemediationCase>().AddRange(
                new RemediationCase
                {
                    Id = meridianCase, SupplierId = own.SupplierId, AssessmentId = own.AssessmentId, FindingId = meridianFinding,
                    Grade = NonconformityGrade.MinorNonconformity, OpenedAt = now.AddDays(-20), ActionPlanDueAt = now.AddDays(-2), ImplementationDueAt = now.AddDays(40),
                },
                new RemediationCase
                {
                    Id = Guid.NewGuid(), SupplierId = other.SupplierId, AssessmentId = other.AssessmentId, FindingId = calderaFinding,
                    Grade = NonconformityGrade.MajorNonconformity, OpenedAt = now, ActionPlanDueAt = now.AddDays(10), ImplementationDueAt = now.AddDays(40),
                });
            await db.SaveChangesAsync();
        }

        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (_, page) = await session.GetPageAsync("/");
        var action = Assert.Single(page.QuerySelectorAll("[data-testid=action-item]"));
        Assert.Contains("Visitor badges not returned at exit", action.TextContent, StringComparison.Ordinal);
        Assert.Contains("action plan due", action.TextContent, StringComparison.Ordinal);
        Assert.Contains("(late)", action.TextContent, StringComparison.Ordinal);
        Assert.NotNull(action.QuerySelector($"a[href='/Remediation/{meridianCase}']"));
        Assert.DoesNotContain("The other organisation's corrective action", page.Body!.TextContent, StringComparison.Ordinal);
    }
}
