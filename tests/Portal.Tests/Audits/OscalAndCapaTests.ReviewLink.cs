using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>A review's audit route carried out as a second-party audit, on the follow-up fixture's Portal.</summary>
public sealed partial class OscalAndCapaTests
{
    [Fact]
    public async Task ReviewAuditRoute_PlansASecondPartyAudit_WhoseFirstReportCompletesTheStepOnce()
    {
        // Meridian as a Tier 1 supplier submits answers that are weak on cargo security: the review routes it to audit.
        var assessmentId = DemoData.MeridianAssessmentId;
        await using (var db = Portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == assessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier1Critical));
        }

        using var supplier = await PortalSession.SignInAsync(Portal, DemoData.SupplierUserEmail);
        using var lead = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Lead);
        using (var submitted = await (await WeakOnCargoAsync(assessmentId)).PostAsync(supplier, assessmentId, "Submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        Assert.Equal(AssessmentState.Audit, (await Portal.WaitForAssessmentAsync(assessmentId, a => a.State is not (AssessmentState.Submitted or AssessmentState.InProgress or AssessmentState.Issued))).State);

        // From the review's audit page the auditor plans the audit; the form starts from the weak areas.
        var reviewAudit = $"/Reviews/{assessmentId}/Audit";
        var (_, review) = await lead.GetPageAsync(reviewAudit);
        Assert.NotNull(review.QuerySelector("form textarea[name=Summary]"));
        var plan = review.QuerySelector("[data-testid=plan-audit-link]")!.GetAttribute("href")!;
        var (_, create) = await lead.GetPageAsync(plan);
        Assert.Contains("Cargo", create.QuerySelector("[data-testid=weak-areas]")!.TextContent, StringComparison.Ordinal);
        // Weak areas call for a visit or a remote audit, not a desk review.
        Assert.NotEqual(nameof(AuditType.DocumentReview), create.QuerySelector("select[name=Type] option[selected]")!.GetAttribute("value"));
        Assert.Contains("Cargo", create.QuerySelector("input[name=ScopeProcesses]")!.GetAttribute("value"), StringComparison.Ordinal);
        var objectives = create.QuerySelector("textarea[name=Objectives]")!.TextContent;
        Assert.Contains("scored weakest", objectives, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["SupplierId"] = create.QuerySelector("input[name=SupplierId]")!.GetAttribute("value")!,
            ["FromAssessment"] = create.QuerySelector("input[name=FromAssessment]")!.GetAttribute("value")!,
            // A document review: the walk needs no visit.
            ["Type"] = nameof(AuditType.DocumentReview),
            ["Objectives"] = objectives,
            ["ScopeProcesses"] = create.QuerySelector("input[name=ScopeProcesses]")!.GetAttribute("value")!,
            ["CriteriaClauses"] = create.QuerySelector("input[name=CriteriaClauses]")!.GetAttribute("value")!,
            ["Declaration"] = "independent",
        };
        Guid auditId;
        using (var created = await lead.PostFormAsync(plan, fields, tokenFrom: plan))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            auditId = Guid.Parse(created.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0]);
        }

        using (var twice = await lead.PostFormAsync(plan, fields, tokenFrom: plan))
        {
            Assert.Contains("already been planned from this review", await ErrorsAsync(twice), StringComparison.Ordinal);
        }

        // Both pages show the link; the supplier sees where the audit came from, without the staff-only link.
        var (_, details) = await lead.GetPageAsync($"/Audits/{auditId}");
        Assert.Equal(reviewAudit, details.QuerySelector("[data-testid=audit-origin-link]")!.GetAttribute("href"));
        Assert.Equal($"/Audits/{auditId}", (await lead.GetPageAsync(reviewAudit)).Document.QuerySelector("[data-testid=linked-audit-link]")!.GetAttribute("href"));
        var (_, supplierView) = await supplier.GetPageAsync($"/Audits/{auditId}");
        Assert.NotNull(supplierView.QuerySelector("[data-testid=audit-origin]"));
        Assert.Null(supplierView.QuerySelector("[data-testid=audit-origin-link]"));

        // The audit runs to its closing meeting: a minor nonconformity (remediation opened there) and an improvement.
        for (var step = 1; step <= 7; step++)
        {
            using var done = await StepAsync(lead, auditId, step, $"Records of step {step}.");
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }

        await RecordFindingAsync(lead, auditId, "8.1", AuditGrade.MinorNonconformity, "Seal numbers are not reconciled against the register.");
        await RecordFindingAsync(lead, auditId, "Cargo", AuditGrade.OpportunityForImprovement, "Trailer inspections could be photographed.");
        using (var closing = await StepAsync(lead, auditId, 8, "Findings presented to the transport manager."))
        {
            Assert.Equal(HttpStatusCode.Redirect, closing.StatusCode);
        }

        Assert.Equal(AssessmentState.Audit, (await Portal.WaitForAssessmentAsync(assessmentId, _ => true)).State);

        // Revision 1 completes the review's audit step; the assessment waits for a reviewer.
        using (var first = await lead.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string> { ["Conclusion"] = "Seal control partly effective." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        Assert.Contains("has its audit step completed", (await lead.GetPageAsync($"/Audits/{auditId}/Report")).Document.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(AssessmentState.UnderReview, (await Portal.WaitForAssessmentAsync(assessmentId, _ => true)).State);

        // Revision 2 leaves the review alone: one decision, one event for the workflow.
        using (var second = await lead.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string>
               {
                   ["Conclusion"] = "Seal control partly effective at the main depot.", ["RevisionReason"] = "Named the depot.",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        Assert.Contains("not changed by this revision", (await lead.GetPageAsync($"/Audits/{auditId}/Report")).Document.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        await using (var db = Portal.CreateDbContext())
        {
            var decision = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.AssessmentId == assessmentId && d.Outcome == ReviewOutcome.AuditCompleted);
            Assert.StartsWith("Second-party audit report, revision 1: Seal control partly effective.", decision.Reason, StringComparison.Ordinal);
            Assert.NotNull(decision.SignalledAt);
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId);
            Assert.Equal((assessmentId, assessmentId, decision.Id), (audit.AssessmentId!.Value, audit.OriginAssessmentId!.Value, audit.ReviewDecisionId!.Value));
            Assert.Equal(1, await db.Set<PersistedEvent>().CountAsync(e => e.EventName == "assessment-audit-completed" && e.EventKey == assessmentId.ToString("D")));
            var fromAudit = await db.Set<AssessmentFinding>().AsNoTracking()
                .Where(f => f.AssessmentId == assessmentId && f.Source == FindingSource.Audit).OrderBy(f => f.Grade).ToListAsync();
            Assert.Equal([NonconformityGrade.MinorNonconformity, NonconformityGrade.OpportunityForImprovement], fromAudit.Select(f => f.Grade));
            Assert.True(await db.Set<RemediationCase>().AnyAsync(r => r.FindingId == fromAudit[0].Id));
            Assert.False(await db.Set<RemediationCase>().AnyAsync(r => r.FindingId == fromAudit[1].Id));
        }

        // The review's page now shows the step done by the audit; the quick form is gone.
        var (_, done2) = await lead.GetPageAsync(reviewAudit);
        Assert.NotNull(done2.QuerySelector("[data-testid=not-in-audit]"));
        Assert.Contains("Its report completed this audit step.", done2.QuerySelector("[data-testid=linked-audit]")!.TextContent, StringComparison.Ordinal);
    }

    private static async Task RecordFindingAsync(PortalSession session, Guid auditId, string reference, AuditGrade grade, string evidence)
    {
        using var recorded = await session.PostFormAsync($"/Audits/{auditId}/Run?handler=Finding", new Dictionary<string, string>
        {
            ["Reference"] = reference, ["Grade"] = grade.ToString(), ["Evidence"] = evidence, ["Site"] = string.Empty,
        });
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
    }

    /// <summary>Every question the tier is asked answered well, except the cargo-security ones, answered at the bottom.</summary>
    private async Task<AssessmentForm> WeakOnCargoAsync(Guid assessmentId)
    {
        await using var db = Portal.CreateDbContext();
        var assessment = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => new { a.TemplateId, a.TierAtIssue }).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        var form = new AssessmentForm();
        foreach (var q in questions.Where(q => q.AppliesTo(assessment.TierAtIssue)))
        {
            var weak = q.Domain == ControlDomain.Cargo;
            form.Answer(q.Code, q.AnswerType switch
            {
                AnswerType.Maturity => weak ? "1" : "4",
                AnswerType.Text => "Described in our security manual.",
                AnswerType.SingleChoice => (weak ? q.Options.MinBy(o => o.Score) : q.Options.MaxBy(o => o.Score))!.Value,
                AnswerType.MultipleChoice => weak ? q.Options.MinBy(o => o.Score)!.Value : string.Join(',', q.Options.Where(o => o.Score > 0).Select(o => o.Value)),
                AnswerType.Number => "1",
                AnswerType.Date => "2026-01-31",
                _ => weak ? "no" : "yes",
            });
        }

        return form;
    }
}
