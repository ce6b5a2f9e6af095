using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>The reviewer's decision page, through the real Portal with its sign-in, tenancy and decision rules.</summary>
public sealed class ReviewPageTests : IDisposable
{
    private readonly PortalFactory _portal = new();
    private static string MeridianReview => $"/Reviews/{DemoData.MeridianAssessmentId}";

    [Fact]
    public async Task Post_MinorFindingOpen_NeedsRiskAcceptanceThenRecordsConditionalApproval()
    {
        await PutUnderReviewWithMinorFindingAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (get, page) = await session.GetPageAsync(MeridianReview);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("Seal numbers not reconciled", page.QuerySelector("[data-testid=open-findings]")!.TextContent, StringComparison.Ordinal);

        using (var approve = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "Approve" }))
        {
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
            var errors = PortalSession.Parse(await approve.Content.ReadAsStringAsync()).QuerySelector("[data-testid=review-errors]")!.TextContent;
            Assert.Contains("minor nonconformity(ies) are open", errors, StringComparison.Ordinal);
        }

        using (var unaccepted = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "ConditionallyApprove", ["Reason"] = "Minor only." }))
        {
            Assert.Equal(HttpStatusCode.OK, unaccepted.StatusCode);
            var errors = PortalSession.Parse(await unaccepted.Content.ReadAsStringAsync()).QuerySelector("[data-testid=review-errors]")!.TextContent;
            Assert.Contains("Name the risk owner", errors, StringComparison.Ordinal);
            Assert.Contains("Record the risk owner's acceptance", errors, StringComparison.Ordinal);
        }

        using (var noOutcome = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "Maybe" }))
        {
            Assert.Equal(HttpStatusCode.OK, noOutcome.StatusCode);
        }

        Assert.Equal(AssessmentState.UnderReview, await StateAsync());

        using var accepted = await session.PostFormAsync(MeridianReview, new Dictionary<string, string>
        {
            ["Outcome"] = "ConditionallyApprove",
            ["Reason"] = "Minor only; fix within 60 days.",
            ["RiskOwner"] = "Dana Risk",
            ["RiskAcceptance"] = "Accepted until the reconciliation is daily.",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(AssessmentState.ConditionallyApproved, await StateAsync());
        await using var db = _portal.CreateDbContext();
        var decision = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.AssessmentId == DemoData.MeridianAssessmentId);
        Assert.Equal("Dana Risk", decision.RiskOwner);
        Assert.NotNull(decision.SignalledAt);
        var supplier = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.MeridianSupplierId);
        Assert.Equal(AssuranceStatus.ConditionallyApproved, supplier.AssuranceStatus);
        Assert.Equal(AssuranceStatus.ConditionallyApproved, (await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Sequence == supplier.LastStatusSequence)).NewStatus);

        var (_, after) = await session.GetPageAsync(MeridianReview);
        Assert.NotNull(after.QuerySelector("[data-testid=not-awaiting]"));
        Assert.Contains("Dana Risk", after.QuerySelector("[data-testid=decisions]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_BySupplierUser_IsDeniedAndMissingAssessmentIsNotFound()
    {
        await PutUnderReviewWithMinorFindingAsync();
        using (var supplier = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail))
        {
            var (response, _) = await supplier.GetPageAsync(MeridianReview);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using var reviewer = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (missing, _) = await reviewer.GetPageAsync($"/Reviews/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task PutUnderReviewWithMinorFindingAsync()
    {
        await using var db = _portal.CreateDbContext();
        await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.OverallScore, 81.5m));
        db.Set<AssessmentFinding>().Add(new AssessmentFinding
        {
            Id = Guid.NewGuid(),
            SupplierId = DemoData.MeridianSupplierId,
            AssessmentId = DemoData.MeridianAssessmentId,
            Source = FindingSource.Audit,
            Grade = NonconformityGrade.MinorNonconformity,
            Reference = "8",
            Summary = "Seal numbers not reconciled daily.",
            RaisedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    private async Task<AssessmentState> StateAsync()
    {
        await using var db = _portal.CreateDbContext();
        return await db.Assessments.AsNoTracking().Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.State).SingleAsync();
    }

    public void Dispose() => _portal.Dispose();
}
