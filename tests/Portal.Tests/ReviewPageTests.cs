using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
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
    public async Task Post_MinorFindingOpen_ConditionalApprovalWaitsForAnotherRiskOwnersSignOff()
    {
        await PutUnderReviewWithMinorFindingAsync();
        await _portal.CreateUserAsync(RiskOwnerA, Roles.RiskOwner);
        await _portal.CreateUserAsync(RiskOwnerB, Roles.RiskOwner);
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

        using (var unexplained = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "ConditionallyApprove", ["Reason"] = " " }))
        {
            Assert.Equal(HttpStatusCode.OK, unexplained.StatusCode);
            var errors = PortalSession.Parse(await unexplained.Content.ReadAsStringAsync()).QuerySelector("[data-testid=review-errors]")!.TextContent;
            Assert.Contains("Give the reason", errors, StringComparison.Ordinal);
        }

        using (var noOutcome = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "Maybe" }))
        {
            Assert.Equal(HttpStatusCode.OK, noOutcome.StatusCode);
        }

        // The reviewer's conditional approval is a proposal: nothing is decided until a risk owner signs.
        using (var proposed = await session.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "ConditionallyApprove", ["Reason"] = "Minor only; fix within 60 days." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        }

        Assert.Equal(AssessmentState.UnderReview, await StateAsync());
        var (_, waiting) = await session.GetPageAsync(MeridianReview);
        Assert.Contains("Waiting for a risk owner", waiting.QuerySelector("[data-testid=residual-risk-pending]")!.TextContent, StringComparison.Ordinal);
        Guid proposalId;
        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Set<ReviewDecision>().AnyAsync(d => d.AssessmentId == DemoData.MeridianAssessmentId));
            proposalId = (await db.Set<ResidualRiskAcceptance>().AsNoTracking().SingleAsync(p => p.AssessmentId == DemoData.MeridianAssessmentId)).Id;
        }

        // Only the risk-owner role reaches the sign-off; the reviewer does not.
        var signOff = $"/Reviews/ResidualRisk/{proposalId}";
        var (denied, _) = await session.GetPageAsync(signOff);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // Risk owner A declines (with a reason); the reviewer proposes again, this time as risk owner A, who then
        // cannot sign their own proposal; risk owner B accepts it.
        using (var a = await PortalSession.SignInAsync(_portal, RiskOwnerA))
        {
            var (_, queue) = await a.GetPageAsync("/Reviews/ResidualRisk");
            Assert.Contains("Meridian", queue.QuerySelector("[data-testid=pending-risk]")!.TextContent, StringComparison.Ordinal);
            using (var bare = await a.PostFormAsync(signOff, new Dictionary<string, string> { ["Decision"] = "decline", ["Reason"] = "" }))
            {
                Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
                Assert.Contains("Say why you do not accept", PortalSession.Parse(await bare.Content.ReadAsStringAsync()).QuerySelector("[data-testid=risk-errors]")!.TextContent, StringComparison.Ordinal);
            }

            using (var declined = await a.PostFormAsync(signOff, new Dictionary<string, string> { ["Decision"] = "decline", ["Reason"] = "Reconcile seals weekly first." }))
            {
                Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
            }

            Assert.Equal(AssessmentState.UnderReview, await StateAsync());
            using (var again = await a.PostFormAsync(MeridianReview, new Dictionary<string, string> { ["Outcome"] = "ConditionallyApprove", ["Reason"] = "Weekly reconciliation now in place." }))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await using var db = _portal.CreateDbContext();
            proposalId = (await db.Set<ResidualRiskAcceptance>().AsNoTracking().SingleAsync(p => p.AssessmentId == DemoData.MeridianAssessmentId && p.State == ResidualRiskState.Pending)).Id;
            using var own = await a.PostFormAsync($"/Reviews/ResidualRisk/{proposalId}", new Dictionary<string, string> { ["Decision"] = "accept", ["Reason"] = "My own proposal." });
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Contains("another risk owner must sign", PortalSession.Parse(await own.Content.ReadAsStringAsync()).QuerySelector("[data-testid=risk-errors]")!.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(AssessmentState.UnderReview, await StateAsync());
        using (var b = await PortalSession.SignInAsync(_portal, RiskOwnerB))
        {
            using var accepted = await b.PostFormAsync($"/Reviews/ResidualRisk/{proposalId}", new Dictionary<string, string>
            {
                ["Decision"] = "accept",
                ["Reason"] = "Accepted until the reconciliation is daily.",
            });
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            var (_, signed) = await b.GetPageAsync($"/Reviews/ResidualRisk/{proposalId}");
            Assert.Contains("Accepted", signed.QuerySelector("[data-testid=risk-state]")!.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(AssessmentState.ConditionallyApproved, await StateAsync());
        await using (var db = _portal.CreateDbContext())
        {
            var decision = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.AssessmentId == DemoData.MeridianAssessmentId);
            Assert.Equal(ReviewOutcome.ConditionallyApprove, decision.Outcome);
            Assert.Equal(RiskOwnerB, decision.RiskOwner);
            Assert.Equal("Accepted until the reconciliation is daily.", decision.RiskAcceptance);
            Assert.NotNull(decision.SignalledAt);
            var supplier = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.MeridianSupplierId);
            Assert.Equal(AssuranceStatus.ConditionallyApproved, supplier.AssuranceStatus);
            Assert.Equal(AssuranceStatus.ConditionallyApproved, (await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Sequence == supplier.LastStatusSequence)).NewStatus);
        }

        var (_, after) = await session.GetPageAsync(MeridianReview);
        Assert.NotNull(after.QuerySelector("[data-testid=not-awaiting]"));
        Assert.Contains(RiskOwnerB, after.QuerySelector("[data-testid=decisions]")!.TextContent, StringComparison.Ordinal);
        // Outcomes in words, not the enum's names.
        Assert.Contains("Conditionally approved", after.QuerySelector("[data-testid=decisions]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("ConditionallyApprove", after.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Declined by {RiskOwnerA}", after.QuerySelector("[data-testid=residual-risk-history]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Conditional approval proposed by", after.QuerySelector("[data-testid=residual-risk-history]")!.TextContent, StringComparison.Ordinal);

        // The supplier page's timeline (from the audit log) shows each step.
        var (_, profile) = await session.GetPageAsync($"/Suppliers/{DemoData.MeridianSupplierId}");
        var timeline = profile.QuerySelector("[data-testid=timeline]")!.TextContent;
        Assert.Equal(2, CountOf(timeline, ResidualRiskAuditKinds.Proposed));
        Assert.Equal(1, CountOf(timeline, ResidualRiskAuditKinds.Declined));
        Assert.Equal(1, CountOf(timeline, ResidualRiskAuditKinds.Accepted));
        Assert.Contains("Accepted until the reconciliation is daily.", timeline, StringComparison.Ordinal);
    }

    private const string RiskOwnerA = "risk.a@operator.example";
    private const string RiskOwnerB = "risk.b@operator.example";

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

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
