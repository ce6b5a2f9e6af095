using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>
/// Running an audit through the pages: the checklist in order with its records, graded findings hidden from the
/// supplier until the closing meeting, then released with a remediation case for the nonconformity; the demo audit.
/// </summary>
public sealed class AuditRunTests : IDisposable
{
    private const string Auditor = "rui.auditor@operator.example";
    private const string SealEvidence = "Seal register lacks entries for 3 of 20 sampled outbound containers (May).";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task Checklist_ToClosingMeeting_ReleasesFindingsToSupplierAndOpensRemediation()
    {
        await _portal.CreateUserAsync(Auditor, Roles.Auditor);
        using var auditor = await PortalSession.SignInAsync(_portal, Auditor);
        using var caldera = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);
        var auditId = await CreateAuditAsync(auditor, DemoData.CalderaSupplierId);

        // Steps go in order and need records.
        using (var outOfOrder = await StepAsync(auditor, auditId, 2, "Read the scope statement."))
        {
            Assert.Contains("Complete step 1 (Objectives, scope and criteria) first", await ErrorsAsync(outOfOrder), StringComparison.Ordinal);
        }

        using (var empty = await StepAsync(auditor, auditId, 1, null))
        {
            Assert.Contains("Record what was done in this step", await ErrorsAsync(empty), StringComparison.Ordinal);
        }

        for (var step = 1; step <= 3; step++)
        {
            using var done = await StepAsync(auditor, auditId, step, $"Records of step {step}.");
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }

        // An on-site audit meets the supplier only once the visit is agreed.
        using (var noVisit = await StepAsync(auditor, auditId, 4, "Opening meeting held."))
        {
            Assert.Contains("The visit is not confirmed yet", await ErrorsAsync(noVisit), StringComparison.Ordinal);
        }

        using (var proposed = await ProposeAsync(auditor, auditId, (At(5, 8), At(5, 16))))
        {
            Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var slot = await db.Set<AuditSlot>().Where(s => s.AuditId == auditId).Select(s => s.Id).SingleAsync();
            using var accepted = await AcceptAsync(caldera, auditId, slot);
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        for (var step = 4; step <= 7; step++)
        {
            using var done = await StepAsync(auditor, auditId, step, $"Records of step {step}.");
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }

        // Findings: a bad reference and a missing grade are refused at the fields; two good ones are recorded.
        using (var bad = await FindingAsync(auditor, auditId, "12.4", null, "Something seen."))
        {
            var errors = await ErrorsAsync(bad);
            Assert.Contains("Give an ISO 28000 clause from 4 to 10", errors, StringComparison.Ordinal);
            Assert.Contains("Grade the finding", errors, StringComparison.Ordinal);
        }

        using (var major = await FindingAsync(auditor, auditId, "8.1", AuditGrade.MajorNonconformity, SealEvidence, "Stuttgart plant"))
        {
            Assert.Equal(HttpStatusCode.Redirect, major.StatusCode);
        }

        using (var ofi = await FindingAsync(auditor, auditId, "cargo", AuditGrade.OpportunityForImprovement, "Seal checks could be photographed at the gate."))
        {
            Assert.Equal(HttpStatusCode.Redirect, ofi.StatusCode);
        }

        // Before the closing meeting the supplier sees that findings will come, not the findings.
        var (_, before) = await caldera.GetPageAsync($"/Audits/{auditId}");
        Assert.NotNull(before.QuerySelector("[data-testid=findings-pending]"));
        Assert.DoesNotContain(SealEvidence, before.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await caldera.GetPageAsync($"/Audits/{auditId}/Run")).Response.StatusCode);

        using (var closing = await StepAsync(auditor, auditId, 8, "Findings presented; the major nonconformity accepted by the plant manager; plan due in 30 days."))
        {
            Assert.Equal(HttpStatusCode.Redirect, closing.StatusCode);
        }

        var (_, after) = await caldera.GetPageAsync($"/Audits/{auditId}");
        var findings = after.QuerySelector("[data-testid=findings]")!;
        Assert.Contains(SealEvidence, findings.TextContent, StringComparison.Ordinal);
        Assert.Equal(new[] { "Major nonconformity", "Opportunity for improvement" }, findings.QuerySelectorAll("[data-testid=finding-grade]").Select(e => e.TextContent).ToArray());
        var remediationLink = Assert.Single(findings.QuerySelectorAll("[data-testid=remediation-link]")).GetAttribute("href")!;
        var (remediationResponse, remediationPage) = await caldera.GetPageAsync(remediationLink);
        Assert.Equal(HttpStatusCode.OK, remediationResponse.StatusCode);
        Assert.Contains(SealEvidence, remediationPage.QuerySelector("[data-testid=finding]")!.TextContent, StringComparison.Ordinal);

        await using (var db = _portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId);
            Assert.Equal(AuditState.FindingsReleased, audit.State);
            var raised = await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.SupplierId == DemoData.CalderaSupplierId && f.Source == FindingSource.Audit);
            Assert.Equal(NonconformityGrade.MajorNonconformity, raised.Grade);
            Assert.Equal(DemoData.CalderaAssessmentId, raised.AssessmentId);
            Assert.Equal("8.1", raised.Reference);
            var remediation = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.FindingId == raised.Id);
            Assert.Equal(RemediationState.ActionPlanDue, remediation.State);
            Assert.Equal($"/Remediation/{remediation.Id}", remediationLink);
        }

        // Released findings are fixed; the last step waits for the corrective action to be verified.
        using (var late = await FindingAsync(auditor, auditId, "9", AuditGrade.MinorNonconformity, "Found after the meeting."))
        {
            Assert.Contains("can no longer change", await ErrorsAsync(late), StringComparison.Ordinal);
        }

        // The report: step 9 waits for it; revision 1 is issued, then revision 2 with its reason; each stays as issued.
        using (var unreported = await StepAsync(auditor, auditId, 9, "Report issued to Caldera's plant manager."))
        {
            Assert.Contains("Issue the report", await ErrorsAsync(unreported), StringComparison.Ordinal);
        }

        Assert.NotNull((await caldera.GetPageAsync($"/Audits/{auditId}/Report")).Document.QuerySelector("[data-testid=no-report]"));
        using (var noConclusion = await auditor.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string> { ["Conclusion"] = " " }))
        {
            Assert.Contains("Write the audit's conclusion", await ErrorsAsync(noConclusion), StringComparison.Ordinal);
        }

        using (var first = await auditor.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string> { ["Conclusion"] = "Seal control not effective at Stuttgart." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using (var noReason = await auditor.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string> { ["Conclusion"] = "Corrected conclusion." }))
        {
            Assert.Contains("Say why revision 2 replaces revision 1", await ErrorsAsync(noReason), StringComparison.Ordinal);
        }

        using (var second = await auditor.PostFormAsync($"/Audits/{auditId}/Report", new Dictionary<string, string>
               {
                   ["Conclusion"] = "Seal control not effective at the Stuttgart plant's outbound gate.", ["RevisionReason"] = "Named the gate.",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        var (_, revision1) = await caldera.GetPageAsync($"/Audits/{auditId}/Report?revision=1");
        Assert.Equal("Seal control not effective at Stuttgart.", revision1.QuerySelector("[data-testid=conclusion]")!.TextContent);
        Assert.Contains(SealEvidence, revision1.QuerySelector("[data-testid=report-findings]")!.TextContent, StringComparison.Ordinal);
        var (_, latest) = await caldera.GetPageAsync($"/Audits/{auditId}/Report");
        Assert.Equal("2", latest.QuerySelector("[data-testid=report-revision]")!.TextContent);
        Assert.Contains("Named the gate.", latest.QuerySelector("[data-testid=revision-reason]")!.TextContent, StringComparison.Ordinal);
        await using (var db = _portal.CreateDbContext())
        {
            var reports = await db.Set<AuditReport>().AsNoTracking().Where(r => r.AuditId == auditId).OrderBy(r => r.Revision).ToListAsync();
            Assert.Equal(2, reports.Count);
            foreach (var r in reports)
            {
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(r.SnapshotJson))), r.Sha256);
            }

            Assert.Equal(reports[0].Sha256, revision1.QuerySelector("[data-testid=report-hash]")!.TextContent);

            // The PDF of revision 1, downloaded by the supplier from the page's link: the frozen text and the hash.
            var link = revision1.QuerySelector("[data-testid=report-pdf]")!.GetAttribute("href")!;
            using var pdf = await caldera.Client.GetAsync(new Uri(link, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
            using var read = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
            var text = string.Join("\n", read.GetPages().Select(p => p.Text));
            Assert.Contains("Seal control not effective at Stuttgart.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("outbound gate", text, StringComparison.Ordinal);
            Assert.Contains("3 of 20 sampled outbound containers", text, StringComparison.Ordinal);
            Assert.Contains(reports[0].Sha256, text, StringComparison.Ordinal);
            Assert.Equal($"SHA-256 {reports[0].Sha256}", read.Information.Subject);
        }

        using (var report = await StepAsync(auditor, auditId, 9, "Report issued to Caldera's plant manager."))
        {
            Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        }

        using (var verification = await StepAsync(auditor, auditId, 10, "Follow-up planned."))
        {
            Assert.Contains("1 corrective action(s) raised by this audit are not verified and closed yet", await ErrorsAsync(verification), StringComparison.Ordinal);
        }

        // Another organisation's supplier user: 404 for the audit.
        using var meridian = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await meridian.GetPageAsync($"/Audits/{auditId}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await meridian.GetPageAsync($"/Audits/{auditId}/Report?revision=1")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await meridian.GetPageAsync($"/Audits/{auditId}/Report?handler=Pdf&revision=1")).Response.StatusCode);
        var (_, meridianList) = await meridian.GetPageAsync("/Audits");
        Assert.DoesNotContain("Caldera", meridianList.QuerySelector("[data-testid=audits]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoAudit_ScheduledForMeridian_OnTheDemoAuditorsCalendarAndTheSuppliersList()
    {
        using var auditor = await PortalSession.SignInAsync(_portal, DemoAudit.AuditorUserEmail);
        var (_, calendar) = await auditor.GetPageAsync($"/Audits/Calendar?week={Day(14)}");
        Assert.Contains("Meridian Freight Services Ltd", calendar.QuerySelector("[data-testid=calendar-week]")!.TextContent, StringComparison.Ordinal);
        var (_, programme) = await auditor.GetPageAsync("/Audits");
        Assert.NotEmpty(programme.QuerySelectorAll("[data-testid=programme-row]"));
        // The programme as CSV, with the page's filters: the same rows, one line each after the header.
        var csvLink = programme.QuerySelector("[data-testid=programme-csv]")!.GetAttribute("href")!;
        using (var csv = await auditor.Client.GetAsync(new Uri(csvLink, UriKind.Relative)))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("Supplier,Tier,Score,Risk,Audit,Due,", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
            Assert.Equal(programme.QuerySelectorAll("[data-testid=programme-row]").Length, lines.Length - 1);
        }

        using (var supplierCsv = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail))
        {
            var (_, own) = await supplierCsv.GetPageAsync("/Audits?csv=true");
            Assert.NotNull(own.QuerySelector("[data-testid=audits]")); // a supplier gets its audits page, never the programme
        }


        using var meridian = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (response, page) = await meridian.GetPageAsync($"/Audits/{DemoAudit.MeridianAuditId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(SchedulingHandler.Describe(Instant(14, 9), Instant(14, 16)), page.QuerySelector("[data-testid=visit]")!.TextContent, StringComparison.Ordinal);
        using var caldera = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await caldera.GetPageAsync($"/Audits/{DemoAudit.MeridianAuditId}")).Response.StatusCode);

        // Procurement reads audits but does not run them; a security reviewer is refused.
        using var procurement = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        Assert.Equal(HttpStatusCode.OK, (await procurement.GetPageAsync($"/Audits/{DemoAudit.MeridianAuditId}/Run")).Response.StatusCode);
        using var denied = await procurement.Client.GetAsync(new Uri($"/Audits/Create?supplierId={DemoData.CalderaSupplierId}", UriKind.Relative));
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> FindingAsync(PortalSession session, Guid auditId, string reference, AuditGrade? grade, string evidence, string? site = null) =>
        session.PostFormAsync($"/Audits/{auditId}/Run?handler=Finding", new Dictionary<string, string>
        {
            ["Reference"] = reference,
            ["Grade"] = grade?.ToString() ?? string.Empty,
            ["Evidence"] = evidence,
            ["Site"] = site ?? string.Empty,
        });

    public void Dispose() => _portal.Dispose();
}
