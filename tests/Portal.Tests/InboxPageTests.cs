using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>Role inboxes: each person sees what waits on them, and a supplier only its own.</summary>
public sealed class InboxPageTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task Get_Reviewer_SeesAssessmentsWaitingForDecisionAndOverdueQuestionnaires()
    {
        await using (var db = _portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.ScoredAt, DateTimeOffset.UtcNow));
            await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, new DateOnly(2020, 1, 31)));
        }

        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync("/Inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reviews = page.QuerySelector("[data-testid=inbox-reviews]")!;
        Assert.Contains("Meridian", reviews.TextContent, StringComparison.Ordinal);
        Assert.NotNull(reviews.QuerySelector($"a[href='/Reviews/{DemoData.MeridianAssessmentId}']"));
        var overdue = page.QuerySelector("[data-testid=inbox-questionnaires]")!.TextContent;
        Assert.Contains("Caldera", overdue, StringComparison.Ordinal);
        Assert.Contains("2020-01-31 (overdue)", overdue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SupplierUser_SeesOnlyOwnQuestionnairesAndNoReviewLists()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (response, page) = await session.GetPageAsync("/Inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(page.QuerySelector("[data-testid=inbox-reviews]"));
        var own = page.QuerySelector("[data-testid=inbox-questionnaires]")!.TextContent;
        Assert.Contains("Meridian", own, StringComparison.Ordinal);
        Assert.DoesNotContain("Caldera", own, StringComparison.Ordinal);
    }

    public void Dispose() => _portal.Dispose();
}
