using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;
using static SupplierAssure.Browser.Tests.AuditBrowser;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// The residual-risk sign-off in Chromium, on the audit journeys' Portal (no host of its own): a reviewer proposes a
/// conditional approval of Oakridge's questionnaire with a minor nonconformity open; the demo risk owner signs in, finds
/// it in the sign-off queue, declines it with a reason; the reviewer sees the refusal and proposes again; the risk
/// owner accepts; the review and the supplier page show the conditional approval and the sign-offs. Also the supplier's
/// answer to an auditor's evidence request, with a file dropped on the answer form.
/// </summary>
[Collection(AuditJourneyCollection.Name)]
public sealed class ResidualRiskSignOffTests(AuditJourneyFixture fixture)
{
    private const string Oakridge = "Oakridge Bonded Storage Ltd";

    /// <summary>The demo risk owner (IdentitySeeder), Dana Whitfield, with the demo password.</summary>
    private const string RiskOwnerEmail = "risk@operator.example";
    private static readonly string ReviewPath = $"/Reviews/{DemoData.OakridgeAssessmentId}";

    [Fact]
    public async Task Reviewer_ProposesConditionalApproval_RiskOwnerDeclinesThenAccepts_ReviewAndSupplierPageShowIt()
    {
        await ArrangeUnderReviewWithMinorFindingAsync();
        await using var reviewerContext = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var reviewer = await reviewerContext.NewPageAsync();

        // The reviewer finds Oakridge in the queue and proposes a conditional approval: nothing is decided yet.
        await reviewer.GotoAsync($"/Reviews?state={AssessmentState.UnderReview}");
        await reviewer.GetByRole(AriaRole.Link, new() { Name = $"Review {Oakridge}" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByTestId("open-findings")).ToContainTextAsync("Racking inspections are not recorded");
        await ProposeAsync(reviewer, "One minor gap; the racking log is due within 60 days.");
        await Assertions.Expect(reviewer.GetByTestId("review-message")).ToContainTextAsync("Proposed to a risk owner");
        await Assertions.Expect(reviewer.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");
        await Assertions.Expect(reviewer.GetByTestId("residual-risk-pending")).ToContainTextAsync("Waiting for a risk owner");

        // The risk owner signs in through the form, opens the sign-off queue from the menu and declines with a reason.
        await using var riskContext = await fixture.SignInOnceAsync(RiskOwnerEmail);
        var risk = await riskContext.NewPageAsync();
        await risk.GotoAsync("/");
        await risk.GetByRole(AriaRole.Link, new() { Name = "Risk sign-off" }).ClickAsync();
        await Assertions.Expect(risk).ToHaveURLAsync(new Regex("/Reviews/ResidualRisk$"));
        var pending = risk.GetByTestId("pending-risk").GetByRole(AriaRole.Row).Filter(new() { HasText = Oakridge });
        await Assertions.Expect(pending).ToContainTextAsync("Conditional approval");
        await Assertions.Expect(pending).ToContainTextAsync("1 minor nonconformity(ies) open");
        await pending.GetByRole(AriaRole.Link, new() { Name = Oakridge }).ClickAsync();
        await Assertions.Expect(risk.GetByTestId("risk-proposal")).ToContainTextAsync("Conditional approval by");
        await Assertions.Expect(risk.GetByTestId("risk-proposal")).ToContainTextAsync("the racking log is due within 60 days");
        await Assertions.Expect(risk.GetByTestId("risk-findings")).ToContainTextAsync("Racking inspections are not recorded");
        await AssertAccessibleAsync(risk);

        // Signing without a choice is refused with a message; then the decline with its reason.
        await risk.GetByLabel("Reason (recorded in the decision and the audit log)").FillAsync("Not before the first monthly racking inspection is on file.");
        await risk.GetByTestId("risk-sign").ClickAsync();
        await Assertions.Expect(risk.GetByTestId("risk-errors")).ToContainTextAsync("Choose to accept or decline");
        await risk.GetByTestId("risk-decline").CheckAsync();
        await risk.GetByLabel("Reason (recorded in the decision and the audit log)").FillAsync("Not before the first monthly racking inspection is on file.");
        await risk.GetByTestId("risk-sign").ClickAsync();
        await Assertions.Expect(risk.GetByTestId("risk-message")).ToHaveTextAsync("Declined: the assessment is back with the reviewer.");
        await Assertions.Expect(risk.GetByTestId("risk-state")).ToContainTextAsync("Declined by Dana Whitfield (Risk owner)");
        await Assertions.Expect(risk.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true })).ToHaveCountAsync(0);

        // Back with the reviewer: the refusal and its reason are on the review; a second proposal.
        await reviewer.ReloadAsync();
        await Assertions.Expect(reviewer.GetByTestId("residual-risk-pending")).ToHaveCountAsync(0);
        await Assertions.Expect(reviewer.GetByTestId("residual-risk-history")).ToContainTextAsync("Declined by Dana Whitfield (Risk owner)");
        await Assertions.Expect(reviewer.GetByTestId("residual-risk-history")).ToContainTextAsync("first monthly racking inspection");
        await Assertions.Expect(reviewer.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");
        await ProposeAsync(reviewer, "The first racking inspection is filed; the log follows monthly.");
        await Assertions.Expect(reviewer.GetByTestId("residual-risk-pending")).ToContainTextAsync("Waiting for a risk owner");

        // The risk owner accepts the new proposal from the queue.
        await risk.GotoAsync("/Reviews/ResidualRisk");
        await risk.GetByTestId("pending-risk").GetByRole(AriaRole.Link, new() { Name = Oakridge }).ClickAsync();
        await Assertions.Expect(risk.GetByTestId("risk-proposal")).ToContainTextAsync("The first racking inspection is filed");
        await risk.GetByTestId("risk-accept").CheckAsync();
        await risk.GetByLabel("Reason (recorded in the decision and the audit log)").FillAsync("Accepted while the monthly log is kept; checked at the next reassessment.");
        await risk.GetByTestId("risk-sign").ClickAsync();
        await Assertions.Expect(risk.GetByTestId("risk-message")).ToHaveTextAsync("Residual risk accepted: the conditional approval is recorded as the review decision.");
        await Assertions.Expect(risk.GetByTestId("risk-state")).ToContainTextAsync("Accepted by Dana Whitfield (Risk owner)");
        await risk.GotoAsync("/Reviews/ResidualRisk");
        await Assertions.Expect(risk.GetByTestId("pending-risk").GetByRole(AriaRole.Row).Filter(new() { HasText = Oakridge })).ToHaveCountAsync(0);
        await Assertions.Expect(risk.GetByTestId("recent-risk")).ToContainTextAsync($"{Oakridge}: Conditional approval Accepted by Dana Whitfield (Risk owner)");

        // The outcome where people look for it: the review and the supplier page.
        await reviewer.ReloadAsync();
        await Assertions.Expect(reviewer.GetByTestId("assessment-state")).ToHaveTextAsync("Conditionally approved");
        await Assertions.Expect(reviewer.GetByTestId("not-awaiting")).ToBeVisibleAsync();
        await Assertions.Expect(reviewer.GetByTestId("decisions")).ToContainTextAsync("residual risk accepted by Dana Whitfield (Risk owner): Accepted while the monthly log is kept");
        await reviewer.GotoAsync($"/Suppliers/{DemoData.OakridgeSupplierId}");
        await Assertions.Expect(reviewer.GetByTestId("assurance")).ToHaveTextAsync("Conditionally approved");
        var timeline = reviewer.GetByTestId("timeline");
        await Assertions.Expect(timeline.GetByTestId("timeline-entry").Filter(new() { HasText = ResidualRiskAuditKinds.Proposed })).ToHaveCountAsync(2);
        await Assertions.Expect(timeline.GetByTestId("timeline-entry").Filter(new() { HasText = ResidualRiskAuditKinds.Declined })).ToHaveCountAsync(1);
        await Assertions.Expect(timeline.GetByTestId("timeline-entry").Filter(new() { HasText = ResidualRiskAuditKinds.Accepted })).ToContainTextAsync("Accepted while the monthly log is kept");

        await using var db = fixture.Portal.CreateDbContext();
        var decision = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.AssessmentId == DemoData.OakridgeAssessmentId);
        Assert.Equal((ReviewOutcome.ConditionallyApprove, "Dana Whitfield (Risk owner)"), (decision.Outcome, decision.RiskOwner));
        Assert.Equal(AssuranceStatus.ConditionallyApproved, (await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.OakridgeSupplierId)).AssuranceStatus);
    }

    [Fact]
    public async Task Supplier_DropsAFileOnTheEvidenceRequestForm_SentWithTheAnswer()
    {
        var (auditId, requestId) = await ArrangeEvidenceRequestAsync();
        await using var supplierContext = await fixture.SignedInContextAsync(DemoData.SupplierUserEmail);
        var supplier = await supplierContext.NewPageAsync();
        await supplier.GotoAsync($"/Audits/{auditId}");
        var form = supplier.GetByTestId("answer-form");
        var zone = form.GetByTestId($"dropzone-request-{requestId}");
        await Assertions.Expect(zone).ToContainTextAsync("drop them in this box");

        // Dragged from the desktop: the events a real drag fires, with a real File; it goes into the form's input.
        var transfer = await supplier.EvaluateHandleAsync("""
            () => {
                const dt = new DataTransfer();
                dt.items.add(new File(['%PDF-1.7\n% forklift training records\n%%EOF\n'], 'forklift training.pdf', { type: 'application/pdf' }));
                return dt;
            }
            """);
        await zone.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await zone.DispatchEventAsync("drop", new { dataTransfer = transfer });
        await Assertions.Expect(supplier.GetByTestId($"dropzone-status-request-{requestId}")).ToContainTextAsync("Chosen: forklift training.pdf");
        Assert.Equal(1, await form.Locator("input[type=file]").EvaluateAsync<int>("input => input.files.length"));
        await AssertAccessibleAsync(supplier);

        await supplier.GetByLabel("Your answer (optional when files are attached)").FillAsync("Training records of the warehouse team are attached.");
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("message")).ToHaveTextAsync("Answer sent with 1 file(s).");
        var request = supplier.GetByTestId("evidence-request").Filter(new() { HasText = "Forklift training records" });
        await Assertions.Expect(request.GetByTestId("evidence-state")).ToHaveTextAsync("Answered");
        await Assertions.Expect(request.GetByTestId("evidence-file")).ToHaveTextAsync("forklift training.pdf");

        await using var db = fixture.Portal.CreateDbContext();
        Assert.Equal("forklift training.pdf", (await db.Set<AuditFile>().AsNoTracking().SingleAsync(f => f.EvidenceRequestId == requestId)).FileName);
    }

    private static async Task ProposeAsync(IPage reviewer, string reason)
    {
        await reviewer.GetByTestId("outcome-conditional").CheckAsync();
        await reviewer.GetByLabel("Reason (needed for all but a plain approval").FillAsync(reason);
        await reviewer.GetByTestId("record-decision").ClickAsync();
    }

    /// <summary>
    /// Oakridge's questionnaire submitted, scored and waiting for a reviewer, with one minor nonconformity a reviewer
    /// raised: written directly (the review workflow is not what this test is about; the sign-off needs no running one).
    /// </summary>
    private async Task ArrangeUnderReviewWithMinorFindingAsync()
    {
        await using var db = fixture.Portal.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        await db.Assessments.Where(a => a.Id == DemoData.OakridgeAssessmentId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.UnderReview).SetProperty(a => a.OverallScore, 76.5m).SetProperty(a => a.SubmittedAt, now));
        db.Set<AssessmentFinding>().Add(new AssessmentFinding
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.OakridgeSupplierId, AssessmentId = DemoData.OakridgeAssessmentId, Source = FindingSource.Review,
            Grade = NonconformityGrade.MinorNonconformity, Reference = "8", Summary = "Racking inspections are not recorded.", RaisedAt = now,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A document review of Meridian by the demo auditor with one open evidence request, through the use cases.</summary>
    private async Task<(Guid AuditId, Guid RequestId)> ArrangeEvidenceRequestAsync()
    {
        await using var db = fixture.Portal.CreateDbContext();
        var auditorId = await db.Users.Where(u => u.Email == DemoAudit.AuditorUserEmail).Select(u => u.Id).SingleAsync();
        var created = await new CreateAuditHandler(db, TimeProvider.System).HandleAsync(new CreateAuditRequest(
            DemoData.MeridianSupplierId, auditorId, AuditType.DocumentReview, "Check the warehouse team's training on paper.",
            null, "Warehouse handling", null, "7", null, DeclaresIndependence: true, ConflictNote: null), CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        var requested = await new EvidenceRequestsHandler(db, TimeProvider.System).RequestAsync(new RequestEvidenceRequest(
            created.Value!.Id, new AuditActor(auditorId, false, null), "support", "Forklift training records of the warehouse team.", null), CancellationToken.None);
        Assert.True(requested.Succeeded, string.Join("; ", requested.Errors.SelectMany(e => e.Value)));
        return (created.Value.Id, requested.Value!.Id);
    }
}
