using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.SecondPartyAudits;
using static SupplierAssure.Browser.Tests.AuditBrowser;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Second-party audits in Chromium with the demo users, on one Portal: the scheduling handshake (a clash with the
/// auditor's other visit and a supplier's blackout refused with the reason, a declared conflict of interest blocking
/// the lead, the supplier accepting a time, the calendar and the .ics download); the demo audit run from its plan to
/// an issued, locked report with a second revision; a corrective action through a failed and a passed verification.
/// Every audit page visited is scanned with axe-core.
/// </summary>
[Collection(AuditJourneyCollection.Name)]
public sealed class SecondPartyAuditJourneyTests(AuditJourneyFixture fixture)
{
    private const string Meridian = "Meridian Freight Services Ltd";

    [Fact]
    public async Task Scheduling_ClashesRefusedWithReason_ConflictBlocksLead_SupplierAccepts_VisitOnCalendarWithIcs()
    {
        // The demo auditor's other confirmed visit is the demo audit of Meridian.
        DateTimeOffset busyStart, busyEnd;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var demo = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == DemoAudit.MeridianAuditId);
            (busyStart, busyEnd) = (demo.VisitStart!.Value, demo.VisitEnd!.Value);
        }

        var blackoutFrom = At(20, 0);
        var blackoutTo = At(22, 0);
        const string BlackoutReason = "Quarter-end stocktake at the depot";
        var (firstStart, firstEnd) = (At(16, 9), At(16, 13));
        var (secondStart, secondEnd) = (At(17, 9), At(17, 13));

        // Meridian's contact records the days the depot cannot host an audit.
        await using var supplierContext = await fixture.SignedInContextAsync(DemoData.SupplierUserEmail);
        var supplier = await supplierContext.NewPageAsync();
        await supplier.GotoAsync("/Audits");
        await supplier.GetByTestId("blackouts-link").ClickAsync();
        await supplier.GetByLabel("First day").FillAsync(Day(blackoutFrom));
        await supplier.GetByLabel("Last day").FillAsync(Day(blackoutTo));
        await supplier.GetByLabel("Why", new() { Exact = true }).FillAsync(BlackoutReason);
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("message")).ToHaveTextAsync("Saved: audits will not be scheduled on those days.");
        await Assertions.Expect(supplier.GetByTestId("blackout")).ToContainTextAsync(BlackoutReason);
        await AssertAccessibleAsync(supplier);

        // The auditor plans an audit of Northgate from the programme but declares a conflict of interest: refused with
        // the reason, nothing saved.
        await using var auditorContext = await fixture.SignedInContextAsync(DemoAudit.AuditorUserEmail);
        var auditor = await auditorContext.NewPageAsync();
        await auditor.GotoAsync("/Audits");
        await AssertAccessibleAsync(auditor);
        await auditor.GetByTestId($"plan-{DemoData.NorthgateSupplierId}").ClickAsync();
        await Assertions.Expect(auditor.GetByRole(AriaRole.Heading, new() { Name = "New audit of Northgate Cross-Dock B.V." })).ToBeVisibleAsync();
        await auditor.GetByLabel("Kind of audit").SelectOptionAsync(new SelectOptionValue { Label = "Remote audit" });
        await auditor.GetByLabel("Objectives: what the audit must establish").FillAsync("Check the gate access controls claimed in the questionnaire.");
        await auditor.GetByLabel("Sites", new() { Exact = true }).FillAsync("Rotterdam cross-dock");
        await auditor.GetByLabel("I have a conflict of interest", new() { Exact = true }).CheckAsync();
        await auditor.GetByLabel("The conflict, if any").FillAsync("I worked in Northgate's planning team until last year.");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Create audit" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("errors")).ToContainTextAsync(
            "You declared a conflict of interest with Northgate Cross-Dock B.V., so you cannot lead this audit.");
        await AssertAccessibleAsync(auditor);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.False(await db.Set<SupplierAudit>().AnyAsync(a => a.SupplierId == DemoData.NorthgateSupplierId), "A declared conflict must save no audit.");
        }

        // An independent on-site audit of Meridian: type, objectives, scope, criteria, declaration.
        await auditor.GotoAsync($"/Audits/Create?supplierId={DemoData.MeridianSupplierId}");
        await auditor.GetByLabel("Kind of audit").SelectOptionAsync(new SelectOptionValue { Label = "On-site audit" });
        await auditor.GetByLabel("Objectives: what the audit must establish").FillAsync("Confirm that trailers are sealed and seal numbers logged before they leave the depot.");
        await auditor.GetByLabel("Sites", new() { Exact = true }).FillAsync("Felixstowe cross-dock depot");
        await auditor.GetByLabel("Processes", new() { Exact = true }).FillAsync("Container sealing, driver hand-over");
        await auditor.GetByLabel("Transport modes", new() { Exact = true }).FillAsync("Road");
        await auditor.GetByLabel("ISO 28000 clauses checked").FillAsync("4, 8, 10");
        await auditor.GetByLabel("Our own requirements checked too").FillAsync("Carrier security annex, version 3");
        await auditor.GetByLabel("I have no conflict of interest with this supplier").CheckAsync();
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Create audit" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToContainTextAsync("Audit created.");
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Planned: team forming, no times proposed");
        await Assertions.Expect(auditor.GetByTestId("declaration")).ToContainTextAsync("independent, assigned");
        var auditId = Guid.Parse(new Uri(auditor.Url).AbsolutePath.Split('/')[^1]);

        // Two times that clash: one inside the auditor's other visit, one on the supplier's blackout days.
        await ProposeAsync(auditor, (busyStart.AddHours(1), busyStart.AddHours(3)), (At(21, 9), At(21, 15)));
        var errors = auditor.GetByTestId("errors");
        await Assertions.Expect(errors).ToContainTextAsync("already has a confirmed audit visit " + SchedulingHandler.Describe(busyStart, busyEnd));
        await Assertions.Expect(errors).ToContainTextAsync($"the supplier cannot host an audit from {Day(blackoutFrom)} to {Day(blackoutTo)} ({BlackoutReason})");
        await Assertions.Expect(auditor.GetByTestId("slot")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(auditor);

        await ProposeAsync(auditor, (firstStart, firstEnd), (secondStart, secondEnd));
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("2 time(s) proposed.");
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Scheduling: times proposed");
        await Assertions.Expect(auditor.GetByTestId("slot")).ToHaveCountAsync(2);

        // The supplier opens the audit from its list and accepts the second time.
        await supplier.GotoAsync("/Audits");
        await supplier.GetByTestId("audit-row").Filter(new() { HasText = "Scheduling: times proposed" }).GetByRole(AriaRole.Link, new() { Name = Meridian }).ClickAsync();
        await Assertions.Expect(supplier).ToHaveURLAsync(new Regex($"/Audits/{auditId}$"));
        await AssertAccessibleAsync(supplier);
        var second = SchedulingHandler.Describe(secondStart, secondEnd);
        await supplier.GetByTestId("slot").Filter(new() { HasText = second }).GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("message")).ToContainTextAsync($"Visit confirmed {second}; the invitation went to");
        await Assertions.Expect(supplier.GetByTestId("visit")).ToHaveTextAsync($"Confirmed {second}.");
        await Assertions.Expect(supplier.GetByTestId("slot-state")).ToHaveTextAsync(new[] { "Superseded", "Accepted" });

        // The .ics from the page's link.
        var download = await supplier.RunAndWaitForDownloadAsync(() => supplier.GetByTestId("ics-link").ClickAsync());
        Assert.EndsWith(".ics", download.SuggestedFilename, StringComparison.Ordinal);
        var calendar = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("BEGIN:VCALENDAR", calendar, StringComparison.Ordinal);
        Assert.Contains($"UID:audit-{auditId:N}@supplierassure", calendar, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{secondStart.UtcDateTime:yyyyMMdd'T'HHmmss}Z", calendar, StringComparison.Ordinal);
        Assert.Contains($"DTEND:{secondEnd.UtcDateTime:yyyyMMdd'T'HHmmss}Z", calendar, StringComparison.Ordinal);

        // The confirmed visit on the auditor's calendar, in its week, linking to the audit.
        await auditor.GotoAsync("/Audits");
        await auditor.GetByTestId("calendar-link").ClickAsync();
        await auditor.GotoAsync($"/Audits/Calendar?week={Day(secondStart)}");
        var visit = auditor.GetByTestId("calendar-visit").Filter(new() { HasText = "09:00–13:00" });
        await Assertions.Expect(visit).ToHaveCountAsync(1);
        await Assertions.Expect(visit).ToContainTextAsync(Meridian);
        await AssertAccessibleAsync(auditor);
        await visit.GetByRole(AriaRole.Link, new() { Name = Meridian }).ClickAsync();
        await Assertions.Expect(auditor).ToHaveURLAsync(new Regex($"/Audits/{auditId}$"));
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Scheduled: visit confirmed");
    }

    [Fact]
    public async Task DemoAudit_FromPlanToIssuedReport_EvidenceAnsweredWithFile_PdfAndSecondRevision()
    {
        var auditPath = $"/Audits/{DemoAudit.MeridianAuditId}";
        await using var auditorContext = await fixture.SignedInContextAsync(DemoAudit.AuditorUserEmail);
        var auditor = await auditorContext.NewPageAsync();
        await using var supplierContext = await fixture.SignedInContextAsync(DemoData.SupplierUserEmail);
        var supplier = await supplierContext.NewPageAsync();

        // The auditor asks for evidence from the request list's categories.
        await auditor.GotoAsync(auditPath);
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Scheduled: visit confirmed");
        await auditor.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Label = "Cargo and transport" });
        await auditor.GetByLabel("What you want to see").FillAsync("The seal register for last month and the trailer inspection checklists of one week.");
        await auditor.GetByLabel("Answer due (optional)").FillAsync(Day(At(7, 0)));
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Request evidence" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Evidence requested; the supplier answers on this page.");
        await Assertions.Expect(auditor.GetByTestId("evidence-state")).ToHaveTextAsync("Waiting for the supplier");

        // The supplier answers with a file; it sees no findings before the closing meeting.
        await supplier.GotoAsync(auditPath);
        await Assertions.Expect(supplier.GetByTestId("findings-pending")).ToBeVisibleAsync();
        await AssertAccessibleAsync(supplier);
        var register = await PdfFileAsync("seal-register", "seal register");
        try
        {
            await supplier.GetByLabel("Your answer (optional when files are attached)").FillAsync("The register is attached; the checklists follow the same format.");
            await supplier.GetByLabel("Files", new() { Exact = true }).SetInputFilesAsync(register);
            await supplier.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        }
        finally
        {
            File.Delete(register);
        }

        await Assertions.Expect(supplier.GetByTestId("message")).ToHaveTextAsync("Answer sent with 1 file(s).");
        await Assertions.Expect(supplier.GetByTestId("evidence-state")).ToHaveTextAsync("Answered");

        // The auditor reads the answer and downloads the file.
        await auditor.ReloadAsync();
        await Assertions.Expect(auditor.GetByTestId("evidence-response")).ToContainTextAsync("The register is attached");
        var file = auditor.GetByTestId("evidence-file");
        await Assertions.Expect(file).ToContainTextAsync("seal-register-");
        var fetched = await auditor.APIRequest.GetAsync(Absolute(await file.GetAttributeAsync("href")));
        Assert.Equal(200, fetched.Status);
        Assert.StartsWith("%PDF-1.7\n% seal register", await fetched.TextAsync(), StringComparison.Ordinal);

        await AssertAccessibleAsync(auditor);

        // The checklist: step 1 was done when the demo audit was planned; steps 2 to 7 with their records.
        await auditor.GetByTestId("run-link").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("step-state-1")).ToContainTextAsync("Done");
        await Assertions.Expect(auditor.GetByTestId("step-state-2")).ToHaveTextAsync("Next");
        await AssertAccessibleAsync(auditor);
        for (var step = 2; step <= 7; step++)
        {
            await CompleteStepAsync(auditor, step, $"Records of step {step}: who took part, what was read, sampled or tested.");
            await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync($"Step {step} ({AuditSteps.Get(step).Title}) completed.");
        }

        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("In progress");

        // Findings: a reference outside the clauses and no grade are refused; a major nonconformity and an opportunity.
        var findingForm = auditor.GetByTestId("finding-form");
        await findingForm.Locator("input[name=Reference]").FillAsync("12.4");
        await findingForm.GetByLabel("Objective evidence: what was seen, read or sampled").FillAsync("Something seen.");
        await findingForm.GetByRole(AriaRole.Button, new() { Name = "Record finding" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("errors")).ToContainTextAsync("Give an ISO 28000 clause from 4 to 10");
        await Assertions.Expect(auditor.GetByTestId("errors")).ToContainTextAsync("Grade the finding");

        const string SealEvidence = "Seal register has no entry for 4 of 25 sampled outbound trailers.";
        await RecordFindingAsync(auditor, "8.1", AuditGrade.MajorNonconformity, SealEvidence, "Felixstowe cross-dock depot");
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Major nonconformity recorded against 8.1.");
        await RecordFindingAsync(auditor, "Cargo", AuditGrade.OpportunityForImprovement, "Seal photographs at the gate would speed up the checks.", null);
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Opportunity for improvement recorded against Cargo.");
        await Assertions.Expect(auditor.GetByTestId("finding")).ToHaveCountAsync(2);

        // The closing meeting releases the findings and opens the corrective action.
        await CompleteStepAsync(auditor, 8, "Findings presented to the depot manager, who accepted the major nonconformity; plan due in 30 days.");
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync(
            "Closing meeting recorded: the findings are visible to the supplier and 1 remediation case(s) opened.");
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Findings released");

        // The report: issued as revision 1, with its PDF.
        await auditor.GetByRole(AriaRole.Link, new() { Name = "Report", Exact = true }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("no-report")).ToBeVisibleAsync();
        await AssertAccessibleAsync(auditor);
        const string FirstConclusion = "Sealing is not under control at the depot.";
        await auditor.GetByLabel("Conclusion").FillAsync(FirstConclusion);
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Issue", Exact = true }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Revision 1 issued; it can no longer change.");
        await Assertions.Expect(auditor.GetByTestId("report-revision")).ToHaveTextAsync("1");
        await Assertions.Expect(auditor.GetByTestId("report-findings")).ToContainTextAsync(SealEvidence);
        var firstHash = await auditor.GetByTestId("report-hash").TextContentAsync();
        var pdf = await auditor.APIRequest.GetAsync(Absolute(await auditor.GetByTestId("report-pdf").GetAttributeAsync("href")));
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.Contains("revision-1.pdf", pdf.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("%PDF-"u8.ToArray(), (await pdf.BodyAsync())[..5]);

        // A later change is a new revision with its reason; revision 1 reads as it was issued.
        await Assertions.Expect(auditor.GetByRole(AriaRole.Heading, new() { Name = "Issue revision 2" })).ToBeVisibleAsync();
        await auditor.GetByLabel("Conclusion").FillAsync("Sealing is not under control at the depot's outbound gate.");
        await auditor.GetByLabel("Why this revision replaces the last").FillAsync("Named the gate where the gaps were found.");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Issue", Exact = true }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Revision 2 issued; it can no longer change.");
        await Assertions.Expect(auditor.GetByTestId("report-revision")).ToHaveTextAsync("2");
        await Assertions.Expect(auditor.GetByTestId("revision-reason")).ToContainTextAsync("Named the gate");
        await auditor.GetByTestId("revision-link").Filter(new() { HasText = "1" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("report-revision")).ToHaveTextAsync("1");
        await Assertions.Expect(auditor.GetByTestId("conclusion")).ToHaveTextAsync(FirstConclusion);
        await Assertions.Expect(auditor.GetByTestId("report-hash")).ToHaveTextAsync(firstHash!);

        // Step 9 completes now the report is out; step 10 waits for the corrective action.
        await auditor.GotoAsync($"{auditPath}/Run");
        await CompleteStepAsync(auditor, 9, "Report revision 2 sent to the depot manager; root cause and plan asked for within 30 days.");
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Step 9 (Report) completed.");
        await CompleteStepAsync(auditor, 10, "Follow-up planned.");
        await Assertions.Expect(auditor.GetByTestId("errors")).ToContainTextAsync("1 corrective action(s) raised by this audit are not verified and closed yet");

        // With the report issued, the offline workbook is a read-only copy and an import is refused.
        await auditor.GetByTestId("offline-link").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("offline-locked")).ToBeVisibleAsync();
        await Assertions.Expect(auditor.GetByTestId("offline-upload")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(auditor);

        // The supplier now sees the graded findings with the corrective action, and the latest revision.
        await supplier.GotoAsync(auditPath);
        await Assertions.Expect(supplier.GetByTestId("finding-grade")).ToHaveTextAsync(new[] { "Major nonconformity", "Opportunity for improvement" });
        await Assertions.Expect(supplier.GetByTestId("remediation-link")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(supplier);
        await supplier.GetByTestId("report-link").ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("report-revision")).ToHaveTextAsync("2");
        await Assertions.Expect(supplier.GetByTestId("issue-form")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(supplier);

        // Procurement reads the report and cannot issue one.
        await using var procurementContext = await fixture.SignedInContextAsync(DemoData.ProcurementUserEmail);
        var procurement = await procurementContext.NewPageAsync();
        await procurement.GotoAsync($"{auditPath}/Report");
        await Assertions.Expect(procurement.GetByTestId("report-revision")).ToHaveTextAsync("2");
        await Assertions.Expect(procurement.GetByTestId("issue-form")).ToHaveCountAsync(0);

        await using var db = fixture.Portal.CreateDbContext();
        Assert.Equal(2, await db.Set<AuditReport>().CountAsync(r => r.AuditId == DemoAudit.MeridianAuditId));
        Assert.Equal(AuditState.FindingsReleased, (await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == DemoAudit.MeridianAuditId)).State);
    }

    [Fact]
    public async Task CorrectiveAction_SupplierPlansAndImplements_VerificationFailsAndReopens_ThenPassesAndCloses()
    {
        var (auditId, remediationId) = await ArrangeReleasedNonconformityAsync();

        // The supplier reaches the corrective action from the audit's released finding.
        await using var supplierContext = await fixture.SignedInContextAsync(DemoData.SupplierUserEmail);
        var supplier = await supplierContext.NewPageAsync();
        await supplier.GotoAsync($"/Audits/{auditId}");
        await Assertions.Expect(supplier.GetByTestId("finding-grade")).ToHaveTextAsync("Minor nonconformity");
        await supplier.GetByTestId("remediation-link").ClickAsync();
        await Assertions.Expect(supplier).ToHaveURLAsync(new Regex($"/Remediation/{remediationId}$"));
        await Assertions.Expect(supplier.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.ActionPlanDue));
        await AssertAccessibleAsync(supplier);

        // Root cause by asking why three times, the correction, the corrective action and its owner.
        await supplier.GetByLabel("Why 1", new() { Exact = true }).FillAsync("Drivers left with trailers whose seal numbers nobody wrote down.");
        await supplier.GetByLabel("Why 2", new() { Exact = true }).FillAsync("The night shift's gate checklist has no seal step.");
        await supplier.GetByLabel("Why 3", new() { Exact = true }).FillAsync("The checklist predates sealing on road freight.");
        await supplier.GetByLabel("Correction: how the nonconformity itself is put right now").FillAsync("The four trailers were traced and their seals logged.");
        await supplier.GetByLabel("Corrective action: what changes so it does not happen again").FillAsync("A seal step on every shift's gate checklist, and gate staff trained on it.");
        await supplier.GetByLabel("Owner (name and role)").FillAsync("Priya Shah, depot security lead");
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Submit corrective action plan" }).ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("message")).ToHaveTextAsync("Corrective action plan recorded.");
        await Assertions.Expect(supplier.Locator("[data-testid=whys] li")).ToHaveCountAsync(3);
        await Assertions.Expect(supplier.GetByTestId("owner")).ToHaveTextAsync("Priya Shah, depot security lead");
        await Assertions.Expect(supplier.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.ImplementationDue));

        await ImplementAsync(supplier, "Checklist updated; training not yet held.", "checklist-v4");
        await Assertions.Expect(supplier.GetByTestId("evidence-file")).ToContainTextAsync("checklist-v4-");

        // The auditor checks and finds the action not effective: back to implementation.
        await using var auditorContext = await fixture.SignedInContextAsync(DemoAudit.AuditorUserEmail);
        var auditor = await auditorContext.NewPageAsync();
        await auditor.GotoAsync($"/Remediation/{remediationId}");
        await Assertions.Expect(auditor.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.VerificationDue));
        await AssertAccessibleAsync(auditor);
        await auditor.GetByLabel("What you checked").FillAsync("Night shift records of last week: two trailers left without a seal entry.");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Record verification" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Sent back for rework.");
        await Assertions.Expect(auditor.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.ImplementationDue));
        await Assertions.Expect(auditor.GetByTestId("verification-result")).ToHaveTextAsync(new[] { "Not effective: reopened" });

        // The supplier implements again; the auditor verifies it effective and the case closes.
        await supplier.ReloadAsync();
        await Assertions.Expect(supplier.GetByTestId("verification-result")).ToHaveTextAsync(new[] { "Not effective: reopened" });
        await ImplementAsync(supplier, "All shifts trained; two weeks of gate records attached.", "gate-records");
        await auditor.ReloadAsync();
        await auditor.GetByLabel("What you checked").FillAsync("Sampled 20 departures over two weeks: every seal number matched the manifest.");
        await auditor.GetByLabel("The action is effective (closes the finding)").CheckAsync();
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Record verification" }).ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Verified effective; the finding is closed.");
        await Assertions.Expect(auditor.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.Closed));
        await Assertions.Expect(auditor.GetByTestId("verification-result")).ToHaveTextAsync(new[] { "Not effective: reopened", "Effective: closed" });
        await Assertions.Expect(auditor.GetByTestId("closed")).ToBeVisibleAsync();
        await AssertAccessibleAsync(auditor);

        await using var db = fixture.Portal.CreateDbContext();
        var closed = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == remediationId);
        Assert.Equal(RemediationState.Closed, closed.State);
        Assert.Equal(1, closed.Round);
        Assert.Equal("Priya Shah, depot security lead", closed.Owner);
        Assert.Equal(AssessmentFindingState.Closed, (await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == closed.FindingId)).State);
        Assert.Equal(new[] { false, true }, await db.Set<RemediationVerification>().AsNoTracking().Where(v => v.RemediationId == remediationId)
            .OrderBy(v => v.Round).Select(v => v.Effective).ToArrayAsync());
    }

    /// <summary>
    /// A document review of Meridian by the demo auditor, past its closing meeting with one minor nonconformity, made
    /// through the same use cases the pages call (the checklist is driven page by page in the report journey).
    /// </summary>
    private async Task<(Guid AuditId, Guid RemediationId)> ArrangeReleasedNonconformityAsync()
    {
        await using var db = fixture.Portal.CreateDbContext();
        var auditorId = await db.Users.Where(u => u.Email == DemoAudit.AuditorUserEmail).Select(u => u.Id).SingleAsync();
        var actor = new AuditActor(auditorId, false, null);
        var created = await new CreateAuditHandler(db, TimeProvider.System).HandleAsync(new CreateAuditRequest(
            DemoData.MeridianSupplierId, auditorId, AuditType.DocumentReview, "Check the seal procedure on paper before the next visit.",
            null, "Container sealing", null, "8", null, DeclaresIndependence: true, ConflictNote: null), CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        var auditId = created.Value!.Id;
        var run = new RunAuditHandler(db, TimeProvider.System);
        for (var step = 1; step < AuditSteps.ClosingMeeting; step++)
        {
            Assert.True((await run.SaveStepAsync(new SaveStepRequest(auditId, actor, step, $"Records of step {step}.", true), CancellationToken.None)).Succeeded);
        }

        Assert.True((await run.RecordFindingAsync(new RecordFindingRequest(auditId, actor, "8.1", AuditGrade.MinorNonconformity,
            "The seal procedure does not say who logs seal numbers on the night shift.", "Felixstowe cross-dock depot"), CancellationToken.None)).Succeeded);
        var closing = await run.SaveStepAsync(new SaveStepRequest(auditId, actor, AuditSteps.ClosingMeeting, "Findings presented by video call.", true), CancellationToken.None);
        Assert.True(closing.Succeeded);
        return (auditId, Assert.Single(closing.Value!.OpenedRemediations));
    }

    private static async Task ProposeAsync(IPage page, params (DateTimeOffset Start, DateTimeOffset End)[] slots)
    {
        var form = page.GetByTestId("propose-form");
        for (var i = 0; i < slots.Length; i++)
        {
            await form.Locator($"input[name='Proposals[{i}].Start']").FillAsync(Local(slots[i].Start));
            await form.Locator($"input[name='Proposals[{i}].End']").FillAsync(Local(slots[i].End));
        }

        await form.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();
    }

    private static async Task CompleteStepAsync(IPage page, int step, string records)
    {
        await page.Locator($"#records-{step}").FillAsync(records);
        await page.GetByTestId($"complete-{step}").ClickAsync();
    }

    private static async Task RecordFindingAsync(IPage page, string reference, AuditGrade grade, string evidence, string? site)
    {
        var form = page.GetByTestId("finding-form");
        await form.Locator("input[name=Reference]").FillAsync(reference);
        await form.Locator("select[name=Grade]").SelectOptionAsync(grade.ToString());
        await form.Locator("input[name=Site]").FillAsync(site ?? string.Empty);
        await form.GetByLabel("Objective evidence: what was seen, read or sampled").FillAsync(evidence);
        await form.GetByRole(AriaRole.Button, new() { Name = "Record finding" }).ClickAsync();
    }

    private static async Task ImplementAsync(IPage page, string text, string fileStem)
    {
        var evidence = await PdfFileAsync(fileStem, text);
        try
        {
            await page.GetByLabel("What was done, and where the evidence is").FillAsync(text);
            await page.GetByLabel("Evidence files (PDF, images, text, Office, zip)").SetInputFilesAsync(evidence);
            await page.GetByRole(AriaRole.Button, new() { Name = "Record implementation" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync("Implementation recorded; waiting for verification.");
            await Assertions.Expect(page.GetByTestId("state")).ToHaveTextAsync(nameof(RemediationState.VerificationDue));
        }
        finally
        {
            File.Delete(evidence);
        }
    }

    private string Absolute(string? href) => new Uri(fixture.Browser.BaseAddress, href ?? throw new InvalidOperationException("The link has no href.")).ToString();
}
