using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Issue 5's "done when": the demo supplier's submissions travel each route of the review workflow (auto-approve,
/// human review, audit) with the demo sign-ins only, through the Portal's own pages, and the administrator sees each
/// instance's route on /Admin/Workflows.
/// </summary>
public sealed class DemoRoutesTests : IDisposable
{
    private const string DemoAdministrator = "admin@operator.example";
    private static readonly string SupplierPath = $"/Suppliers/{DemoData.MeridianSupplierId:D}";
    private readonly PortalFactory _portal = new PortalFactory().With("Notifications:EmailInterval", "01:00:00");

    [Fact]
    public async Task MeridianSubmissions_TravelAutoApprove_HumanReview_AndAudit_WithTheDemoSignIns()
    {
        using var supplier = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var procurement = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var admin = await PortalSession.SignInAsync(_portal, DemoAdministrator);

        // 1. Tier 3, answered well: approved without a person.
        await SubmitAsync(supplier, await AssessmentForm.AllGoodAsync(_portal, DemoData.MeridianAssessmentId), DemoData.MeridianAssessmentId);
        Assert.Equal(AssessmentState.Approved, (await SettledAsync(DemoData.MeridianAssessmentId)).State);

        // 2. Procurement issues the next questionnaire; answered poorly, it goes to a person, who rejects it.
        var second = await IssueAsync(procurement);
        await SubmitAsync(supplier, await PoorAsync(second), second);
        Assert.Equal(AssessmentState.UnderReview, (await SettledAsync(second)).State);
        using (var rejected = await procurement.PostFormAsync($"/Reviews/{second:D}", new Dictionary<string, string> { ["Outcome"] = "Reject", ["Reason"] = "Too many controls are missing for now." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        }

        Assert.Equal(AssessmentState.Rejected, (await _portal.WaitForAssessmentAsync(second, a => a.State != AssessmentState.UnderReview)).State);

        // 3. Procurement moves Meridian to Tier 1 and issues again: the submission goes to an audit, which the
        //    administrator records with a minor nonconformity; then it waits for a reviewer.
        using (var tiered = await procurement.PostFormAsync($"{SupplierPath}/Tier?handler=Override",
                   new Dictionary<string, string> { ["OverrideTier"] = "Tier1Critical", ["Justification"] = "Now carries high-value cargo on our main lanes." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, tiered.StatusCode);
        }

        var third = await IssueAsync(procurement);
        await SubmitAsync(supplier, await AssessmentForm.AllGoodAsync(_portal, third), third);
        Assert.Equal(AssessmentState.Audit, (await SettledAsync(third)).State);

        var (_, review) = await admin.GetPageAsync($"/Reviews/{third:D}");
        Assert.NotNull(review.QuerySelector($"a[href='/Reviews/{third}/Audit']"));
        using (var blank = await admin.PostFormAsync($"/Reviews/{third:D}/Audit", new Dictionary<string, string> { ["Summary"] = " ", ["Findings[0].Summary"] = "Seal log incomplete." }))
        {
            Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
            var page = PortalSession.Parse(await blank.Content.ReadAsStringAsync());
            Assert.Contains("Summarise the audit's conclusion.", page.QuerySelector("[data-testid=audit-errors]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Grade the finding as a major or minor nonconformity or an opportunity for improvement.", page.QuerySelector("[data-testid=audit-errors]")!.TextContent, StringComparison.Ordinal);
        }

        Assert.Equal(AssessmentState.Audit, (await SettledAsync(third)).State);
        using (var audited = await admin.PostFormAsync($"/Reviews/{third:D}/Audit", new Dictionary<string, string>
               {
                   ["Summary"] = "Site visit done; controls work apart from the seal log.",
                   ["Findings[0].Grade"] = nameof(NonconformityGrade.MinorNonconformity),
                   ["Findings[0].Reference"] = "8.1",
                   ["Findings[0].Summary"] = "Seal log incomplete on two of five sampled days.",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, audited.StatusCode);
        }

        Assert.Equal(AssessmentState.UnderReview, (await _portal.WaitForAssessmentAsync(third, a => a.State != AssessmentState.Audit)).State);

        // The administrator sees the three review instances of Meridian and each one's route in its step history.
        var (_, list) = await admin.GetPageAsync($"/Admin/Workflows?Type=assessment-review&Supplier={DemoData.MeridianSupplierId:D}");
        var links = list.QuerySelectorAll("[data-testid=instances] tbody tr a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(3, links.Count);
        await using var db = _portal.CreateDbContext();
        var instances = await db.Assessments.AsNoTracking().Where(a => a.SupplierId == DemoData.MeridianSupplierId && a.WorkflowInstanceId != null)
            .ToDictionaryAsync(a => a.Id, a => a.WorkflowInstanceId!);
        // The engine runs each instance on in the background: poll its page until the route's step shows.
        Assert.Contains("wait-for-audit", await StepsOnceShownAsync(admin, instances[third], "wait-for-review-decision"), StringComparison.Ordinal);
        var humanReview = await StepsOnceShownAsync(admin, instances[second], "record-outcome");
        Assert.Contains("wait-for-review-decision", humanReview, StringComparison.Ordinal);
        Assert.DoesNotContain("wait-for-audit", humanReview, StringComparison.Ordinal);
        var autoApproved = await StepsOnceShownAsync(admin, instances[DemoData.MeridianAssessmentId], "record-outcome");
        Assert.DoesNotContain("wait-for-review-decision", autoApproved, StringComparison.Ordinal);
    }

    private static async Task<string> StepsOnceShownAsync(PortalSession admin, string instanceId, string step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, page) = await admin.GetPageAsync($"/Admin/Workflows/{instanceId}");
            var steps = page.QuerySelector("[data-testid=steps]")!.TextContent;
            if (steps.Contains(step, StringComparison.Ordinal))
            {
                return steps;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Instance {instanceId} did not reach {step} in 60 s: {steps}");
            await Task.Delay(200);
        }
    }

    public void Dispose() => _portal.Dispose();

    private static async Task SubmitAsync(PortalSession supplier, AssessmentForm form, Guid assessmentId)
    {
        using var response = await form.PostAsync(supplier, assessmentId, "Submit");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private Task<Assessment> SettledAsync(Guid assessmentId) =>
        _portal.WaitForAssessmentAsync(assessmentId, a => a.State is not (AssessmentState.Submitted or AssessmentState.Issued or AssessmentState.InProgress));

    /// <summary>Issues the next questionnaire on procurement's page: the first version offered, due in 30 days, to the contacts shown.</summary>
    private async Task<Guid> IssueAsync(PortalSession procurement)
    {
        var (_, page) = await procurement.GetPageAsync($"{SupplierPath}/Issue");
        var template = page.QuerySelectorAll("select[name=TemplateId] option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        var contact = page.QuerySelector("input[name=ContactIds]")!.GetAttribute("value")!;
        var due = DateTime.UtcNow.Date.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using (var before = _portal.CreateDbContext())
        {
            Assert.False(await before.Assessments.AnyAsync(a => a.SupplierId == DemoData.MeridianSupplierId && a.State == AssessmentState.Issued));
        }

        using var issued = await procurement.PostFormAsync($"{SupplierPath}/Issue", new Dictionary<string, string> { ["TemplateId"] = template, ["DueDate"] = due, ["ContactIds"] = contact });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        await using var db = _portal.CreateDbContext();
        return await db.Assessments.Where(a => a.SupplierId == DemoData.MeridianSupplierId && a.State == AssessmentState.Issued).Select(a => a.Id).SingleAsync();
    }

    /// <summary>Every question answered, at the lowest score each allows.</summary>
    private async Task<AssessmentForm> PoorAsync(Guid assessmentId)
    {
        await using var db = _portal.CreateDbContext();
        var assessment = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => new { a.TemplateId, a.TierAtIssue }).SingleAsync();
        var questions = await db.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).OrderBy(q => q.Order).ToListAsync();
        var form = new AssessmentForm();
        foreach (var q in questions.Where(q => q.AppliesTo(assessment.TierAtIssue)))
        {
            form.Answer(q.Code, q.AnswerType switch
            {
                AnswerType.Maturity => "1",
                AnswerType.Text => "Not in place yet.",
                AnswerType.SingleChoice => q.Options.MinBy(o => o.Score)!.Value,
                AnswerType.MultipleChoice => q.Options.MinBy(o => o.Score)!.Value,
                AnswerType.Number => "0",
                AnswerType.Date => "2026-01-31",
                _ => "no",
            });
        }

        return form;
    }
}
