using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniExcelLibs;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;
using static SupplierAssure.Browser.Tests.AuditBrowser;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// Two more audit journeys in Chromium on the audit journeys' Portal: the offline round trip (the workbook downloaded
/// from the page, edited as on site while a colleague changes the same steps in the Portal, a CSV and a workbook with
/// a bad grade refused with their messages, the preview with both values of each conflict, one kept from the Portal
/// and one taken from the file, the outcome on the checklist page); and a visit agreed on the supplier's
/// counter-proposal, then moved by the supplier (a clash refused with its reason, the confirmation withdrawn with an
/// e-mailed .ics cancellation, new times accepted by the auditor, a new invitation and the auditor's calendar).
/// The preview and the reschedule form are scanned with axe-core.
/// </summary>
[Collection(AuditJourneyCollection.Name)]
public sealed partial class AuditOfflineAndReschedulingTests(AuditJourneyFixture fixture)
{
    private const string Meridian = "Meridian Freight Services Ltd";

    [Fact]
    public async Task Offline_WorkbookFromPage_EditedOnSite_BadFilesRefused_ConflictsWithColleagueDecidedInPreview_OutcomeOnChecklist()
    {
        const string ColleagueEmail = "offline.colleague@operator.example";
        const string StepOne = "Objectives agreed with the depot manager by phone.";
        const string StepTwo = "Read the seal procedure, version 3.";
        const string FindingEvidence = "Seal register: two outbound trailers without an entry.";
        var auditId = await ArrangeTwoAuditorAuditAsync(ColleagueEmail, StepOne, StepTwo, FindingEvidence);

        // The lead auditor downloads the workbook from the audit's offline page before leaving for the site.
        await using var auditorContext = await fixture.SignedInContextAsync(DemoAudit.AuditorUserEmail);
        var auditor = await auditorContext.NewPageAsync();
        await auditor.GotoAsync($"/Audits/{auditId}/Run");
        await auditor.GetByTestId("offline-link").ClickAsync();
        await Assertions.Expect(auditor).ToHaveURLAsync(new Regex($"/Audits/{auditId}/Offline$"));
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("offline-export").ClickAsync());
        Assert.Matches($"^audit-[0-9]{{8}}-[0-9]{{4}}-{auditId.ToString("N")[..8]}\\.xlsx$", download.SuggestedFilename);
        var exported = await File.ReadAllBytesAsync((await download.PathAsync())!);
        var steps = Sheet(exported, OfflineColumns.StepsSheet);
        var findings = Sheet(exported, OfflineColumns.FindingsSheet);
        Assert.Equal(10, steps.Count);
        Assert.Equal((StepOne, StepTwo), (steps[0][OfflineColumns.Records], steps[1][OfflineColumns.Records]));
        Assert.Equal(("Minor nonconformity", FindingEvidence), (Assert.Single(findings)[OfflineColumns.Grade], findings[0][OfflineColumns.Evidence]));

        // Meanwhile a colleague in the office saves steps 1 and 2 in the Portal.
        const string ColleagueOne = "Objectives confirmed in writing by the depot manager on Monday.";
        const string ColleagueTwo = "Read the seal procedure and the carrier security annex.";
        await using var colleagueContext = await fixture.SignInOnceAsync(ColleagueEmail);
        var colleague = await colleagueContext.NewPageAsync();
        await colleague.GotoAsync($"/Audits/{auditId}/Run");
        await SaveStepAsync(colleague, 1, ColleagueOne);
        await SaveStepAsync(colleague, 2, ColleagueTwo);

        // On site, the auditor writes into the workbook: steps 1 and 2, the finding's evidence and a new finding.
        const string SiteOne = "Objectives agreed again at the opening meeting with the plant manager.";
        const string SiteTwo = "On site: read the seal procedure, the gate log and the training records.";
        const string SiteEvidence = "Seal register: outbound trailers 4411 and 4417 left without an entry.";
        const string NewEvidence = "Gate staff write seal numbers on paper first and type them in at the end of the shift.";
        steps[0][OfflineColumns.Records] = SiteOne;
        steps[1][OfflineColumns.Records] = SiteTwo;
        findings[0][OfflineColumns.Evidence] = SiteEvidence;
        var added = findings[0].ToDictionary(c => c.Key, c => (object?)null, StringComparer.Ordinal);
        added[OfflineColumns.Reference] = "8.1";
        added[OfflineColumns.Grade] = "Serious";
        added[OfflineColumns.Evidence] = NewEvidence;
        added[OfflineColumns.Site] = "Gate 2";
        findings.Add(added);

        // Saved as CSV by mistake: refused with the reason, nothing previewed.
        await UploadAsync(auditor, new FilePayload { Name = "audit-on-site.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("Step,Records\n1,On site\n") });
        await Assertions.Expect(auditor.GetByTestId("errors")).ToContainTextAsync("Upload the workbook as an .xlsx file (the format it was exported in).");
        await Assertions.Expect(auditor.GetByTestId("offline-preview")).ToHaveCountAsync(0);

        // A grade the Portal does not know: the cell is named, nothing can be confirmed.
        await UploadAsync(auditor, Workbook(steps, findings, auditId));
        var problem = auditor.GetByTestId("offline-error");
        await Assertions.Expect(problem).ToHaveCountAsync(1);
        await Assertions.Expect(problem).ToHaveAttributeAsync("data-sheet", OfflineColumns.FindingsSheet);
        await Assertions.Expect(problem).ToHaveAttributeAsync("data-row", "3");
        await Assertions.Expect(problem).ToHaveAttributeAsync("data-column", OfflineColumns.Grade);
        await Assertions.Expect(problem).ToContainTextAsync("\"Serious\" is not a grade");
        await Assertions.Expect(auditor.GetByTestId("offline-confirm")).ToHaveCountAsync(0);

        // Corrected to an opportunity for improvement: the preview lists each change, conflicts with both values.
        added[OfflineColumns.Grade] = "OFI";
        await UploadAsync(auditor, Workbook(steps, findings, auditId));
        await Assertions.Expect(auditor.GetByTestId("offline-errors")).ToHaveCountAsync(0);
        await Assertions.Expect(auditor.GetByTestId("offline-summary")).ToContainTextAsync("1 new finding(s), 1 changed row(s), 2 conflict(s)");
        await Assertions.Expect(auditor.GetByTestId("offline-change")).ToHaveCountAsync(4);
        await AssertConflictAsync(auditor, "step-1", ColleagueOne, SiteOne);
        await AssertConflictAsync(auditor, "step-2", ColleagueTwo, SiteTwo);
        var changedFinding = auditor.Locator("[data-testid=offline-change][data-kind=Changed]");
        await Assertions.Expect(changedFinding.Locator($"tr[data-field='{OfflineColumns.Evidence}'] [data-testid=portal-value]")).ToHaveTextAsync(FindingEvidence);
        await Assertions.Expect(changedFinding.Locator($"tr[data-field='{OfflineColumns.Evidence}'] [data-testid=file-value]")).ToHaveTextAsync(SiteEvidence);
        var newFinding = auditor.Locator("[data-testid=offline-change][data-kind=New]");
        await Assertions.Expect(newFinding.Locator($"tr[data-field='{OfflineColumns.Grade}'] [data-testid=file-value]")).ToHaveTextAsync("Opportunity for improvement");
        await AssertAccessibleAsync(auditor);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(1, await db.Set<AuditFinding>().CountAsync(f => f.AuditId == auditId));
        }

        // The colleague's objectives stay; the auditor's document review notes replace the colleague's.
        await auditor.GetByTestId("keep-portal-step-1").CheckAsync();
        await auditor.GetByTestId("take-file-step-2").CheckAsync();
        await auditor.GetByTestId("offline-confirm").ClickAsync();
        await Assertions.Expect(auditor).ToHaveURLAsync(new Regex($"/Audits/{auditId}/Run$"));
        await Assertions.Expect(auditor.GetByTestId("message")).ToHaveTextAsync("Imported: 1 new finding(s), 2 row(s) updated, 1 conflict(s) kept as in the Portal.");
        await Assertions.Expect(auditor.Locator("#records-1")).ToHaveValueAsync(ColleagueOne);
        await Assertions.Expect(auditor.Locator("#records-2")).ToHaveValueAsync(SiteTwo);
        var rows = auditor.GetByTestId("findings").GetByTestId("finding");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(SiteEvidence);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Opportunity for improvement");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(NewEvidence);

        // The colleague sees the same checklist after a reload.
        await colleague.ReloadAsync();
        await Assertions.Expect(colleague.Locator("#records-2")).ToHaveValueAsync(SiteTwo);
        await Assertions.Expect(colleague.GetByTestId("findings").GetByTestId("finding")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Visit_SupplierCounterProposalAccepted_SupplierReschedules_ClashRefused_CancellationSent_NewTimeConfirmedOnCalendar()
    {
        DateTimeOffset busyStart, busyEnd;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var demo = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == DemoAudit.MeridianAuditId);
            (busyStart, busyEnd) = (demo.VisitStart!.Value, demo.VisitEnd!.Value);
        }

        // Weeks of their own, past the other journeys' visits and blackout days.
        var (offered, offeredEnd) = (At(40, 9), At(40, 13));
        var (counter, counterEnd) = (At(41, 10), At(41, 14));
        var (laterA, laterAEnd) = (At(47, 9), At(47, 12));
        var (laterB, laterBEnd) = (At(48, 13), At(48, 16));
        var auditId = await ArrangeProposedVisitAsync(offered, offeredEnd);
        var path = $"/Audits/{auditId}";

        // The supplier cannot host on the offered day and proposes another.
        await using var supplierContext = await fixture.SignedInContextAsync(DemoData.SupplierUserEmail);
        var supplier = await supplierContext.NewPageAsync();
        await supplier.GotoAsync(path);
        await Assertions.Expect(supplier.GetByTestId("audit-state")).ToHaveTextAsync("Scheduling: times proposed");
        var propose = supplier.GetByTestId("propose-form");
        await Assertions.Expect(propose).ToContainTextAsync("None of these times work? Propose others.");
        await propose.Locator("input[name='Proposals[0].Start']").FillAsync(Local(counter));
        await propose.Locator("input[name='Proposals[0].End']").FillAsync(Local(counterEnd));
        await propose.GetByLabel("Note (optional)").FillAsync("Our depot manager is away that day; the next morning suits us.");
        await propose.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();
        await Assertions.Expect(supplier.GetByTestId("message")).ToHaveTextAsync("1 time(s) proposed.");
        var supplierSlot = supplier.GetByTestId("slot").Filter(new() { HasText = SchedulingHandler.Describe(counter, counterEnd) });
        await Assertions.Expect(supplierSlot).ToContainTextAsync("Supplier");
        await Assertions.Expect(supplierSlot.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);

        // The auditor accepts the supplier's time; the offered one is superseded.
        await using var auditorContext = await fixture.SignedInContextAsync(DemoAudit.AuditorUserEmail);
        var auditor = await auditorContext.NewPageAsync();
        await auditor.GotoAsync(path);
        var counterSlot = auditor.GetByTestId("slot").Filter(new() { HasText = SchedulingHandler.Describe(counter, counterEnd) });
        await Assertions.Expect(counterSlot).ToContainTextAsync("Our depot manager is away that day");
        await counterSlot.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        var first = SchedulingHandler.Describe(counter, counterEnd);
        await Assertions.Expect(auditor.GetByTestId("message")).ToContainTextAsync($"Visit confirmed {first}; the invitation went to");
        await Assertions.Expect(auditor.GetByTestId("visit")).ToHaveTextAsync($"Confirmed {first}.");
        await Assertions.Expect(auditor.GetByTestId("slot-state")).ToHaveTextAsync(new[] { "Superseded", "Accepted" });
        await Assertions.Expect(auditor.GetByTestId("reschedule")).ToBeVisibleAsync();

        // Later the supplier has to move the visit. A time on the auditor's other visit is refused with the reason.
        const string Reason = "A customs inspection of the depot was booked for that day.";
        await supplier.ReloadAsync();
        await Assertions.Expect(supplier.GetByTestId("visit")).ToHaveTextAsync($"Confirmed {first}.");
        await supplier.GetByTestId("reschedule").Locator("summary").ClickAsync();
        await FillRescheduleAsync(supplier, Reason, (busyStart.AddHours(1), busyStart.AddHours(2)));
        await Assertions.Expect(supplier.GetByTestId("errors")).ToContainTextAsync("already has a confirmed audit visit " + SchedulingHandler.Describe(busyStart, busyEnd));
        await Assertions.Expect(supplier.GetByTestId("visit")).ToHaveTextAsync($"Confirmed {first}.");
        await Assertions.Expect(supplier.GetByTestId("reschedule-form")).ToBeVisibleAsync();
        await Assertions.Expect(supplier.GetByTestId("reschedule-reason")).ToHaveValueAsync(Reason);
        await AssertAccessibleAsync(supplier);

        // Two free times: the confirmation is withdrawn and everyone invited gets the calendar cancellation.
        await FillRescheduleAsync(supplier, Reason, (laterA, laterAEnd), (laterB, laterBEnd));
        await Assertions.Expect(supplier.GetByTestId("message")).ToContainTextAsync($"The visit {first} is withdrawn and the cancellation went to");
        await Assertions.Expect(supplier.GetByTestId("message")).ToContainTextAsync("2 new time(s) proposed.");
        await Assertions.Expect(supplier.GetByTestId("audit-state")).ToHaveTextAsync("Scheduling: times proposed");
        await Assertions.Expect(supplier.GetByTestId("visit")).ToHaveCountAsync(0);
        await Assertions.Expect(supplier.GetByTestId("ics-link")).ToHaveCountAsync(0);
        await Assertions.Expect(supplier.GetByTestId("slot-state")).ToHaveTextAsync(new[] { "Superseded", "Cancelled", "Proposed", "Proposed" });

        var cancellations = Calendars(auditId).Where(c => c.Method == "CANCEL").ToList();
        var confirmation = Calendars(auditId).Single(c => c.Method == "REQUEST" && c.To == DemoAudit.AuditorUserEmail);
        Assert.Contains(cancellations, c => c.To == DemoData.SupplierUserEmail);
        var cancelled = Assert.Single(cancellations, c => c.To == DemoAudit.AuditorUserEmail);
        Assert.StartsWith($"Cancelled: On-site audit of {Meridian}", cancelled.Subject, StringComparison.Ordinal);
        Assert.Contains(Reason, cancelled.Body, StringComparison.Ordinal);
        Assert.Contains("STATUS:CANCELLED", cancelled.Calendar, StringComparison.Ordinal);
        Assert.Equal(Stamp(counter), cancelled.Start);
        Assert.True(cancelled.Sequence > confirmation.Sequence, $"cancellation sequence {cancelled.Sequence} after invitation {confirmation.Sequence}");

        // The withdrawn visit has left the auditor's calendar; the auditor accepts the second new time.
        await auditor.GotoAsync($"/Audits/Calendar?week={Day(counter)}");
        await Assertions.Expect(auditor.GetByTestId("calendar-week")).ToBeVisibleAsync();
        await Assertions.Expect(CalendarVisit(auditor, auditId)).ToHaveCountAsync(0);
        await auditor.GotoAsync(path);
        var laterSlot = auditor.GetByTestId("slot").Filter(new() { HasText = SchedulingHandler.Describe(laterB, laterBEnd) });
        await Assertions.Expect(laterSlot).ToContainTextAsync("Rescheduling: " + Reason);
        await laterSlot.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        var second = SchedulingHandler.Describe(laterB, laterBEnd);
        await Assertions.Expect(auditor.GetByTestId("visit")).ToHaveTextAsync($"Confirmed {second}.");
        await Assertions.Expect(auditor.GetByTestId("audit-state")).ToHaveTextAsync("Scheduled: visit confirmed");
        await Assertions.Expect(auditor.GetByTestId("slot-state")).ToHaveTextAsync(new[] { "Superseded", "Cancelled", "Superseded", "Accepted" });

        // The new invitation from the page updates the calendar entry the cancellation removed.
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("ics-link").ClickAsync());
        var ics = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("METHOD:REQUEST", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:audit-{auditId:N}@supplierassure", ics, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{Stamp(laterB)}", ics, StringComparison.Ordinal);
        Assert.True(Sequence(ics) > cancelled.Sequence, $"new invitation sequence {Sequence(ics)} after cancellation {cancelled.Sequence}");

        // On the auditor's calendar in its week, linking back to the audit.
        await auditor.GotoAsync($"/Audits/Calendar?week={Day(laterB)}");
        var visit = CalendarVisit(auditor, auditId);
        await Assertions.Expect(visit).ToHaveCountAsync(1);
        await Assertions.Expect(visit).ToContainTextAsync("On-site audit, 13:00–16:00");
        await visit.GetByRole(AriaRole.Link, new() { Name = Meridian }).ClickAsync();
        await Assertions.Expect(auditor).ToHaveURLAsync(new Regex($"{path}$"));

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId);
            Assert.Equal((AuditState.Scheduled, laterB, laterBEnd), (audit.State, audit.VisitStart, audit.VisitEnd));
        }
    }

    /// <summary>
    /// An on-site audit of Caldera by the demo auditor with a second auditor, steps 1 and 2 recorded and one minor
    /// nonconformity, made through the use cases the pages call (creating and staffing audits have journeys of their own).
    /// </summary>
    private async Task<Guid> ArrangeTwoAuditorAuditAsync(string colleagueEmail, string stepOne, string stepTwo, string findingEvidence)
    {
        var colleagueId = await fixture.Portal.CreateUserAsync(colleagueEmail, Roles.Auditor);
        await using var db = fixture.Portal.CreateDbContext();
        var auditorId = await db.Users.Where(u => u.Email == DemoAudit.AuditorUserEmail).Select(u => u.Id).SingleAsync();
        var lead = new AuditActor(auditorId, false, null);
        var created = await new CreateAuditHandler(db, TimeProvider.System).HandleAsync(new CreateAuditRequest(
            DemoData.CalderaSupplierId, auditorId, AuditType.OnSite, "Check how seals are applied and logged at the Stuttgart warehouse.",
            "Stuttgart warehouse", "Container sealing", "Road", "8", null, DeclaresIndependence: true, ConflictNote: null), CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        var auditId = created.Value!.Id;
        var team = new AuditTeamHandler(db, TimeProvider.System);
        Assert.True((await team.AddAsync(new AddTeamMemberRequest(auditId, lead, colleagueId), CancellationToken.None)).Succeeded);
        Assert.True((await team.DeclareAsync(new DeclareIndependenceRequest(auditId, new AuditActor(colleagueId, false, null), true, null), CancellationToken.None)).Succeeded);
        var run = new RunAuditHandler(db, TimeProvider.System);
        Assert.True((await run.SaveStepAsync(new SaveStepRequest(auditId, lead, 1, stepOne, false), CancellationToken.None)).Succeeded);
        Assert.True((await run.SaveStepAsync(new SaveStepRequest(auditId, lead, 2, stepTwo, false), CancellationToken.None)).Succeeded);
        Assert.True((await run.RecordFindingAsync(new RecordFindingRequest(auditId, lead, "8.1", AuditGrade.MinorNonconformity, findingEvidence, "Stuttgart warehouse"),
            CancellationToken.None)).Succeeded);
        return auditId;
    }

    /// <summary>An on-site audit of Meridian by the demo auditor, who has proposed one time for the visit.</summary>
    private async Task<Guid> ArrangeProposedVisitAsync(DateTimeOffset start, DateTimeOffset end)
    {
        await using var db = fixture.Portal.CreateDbContext();
        var auditorId = await db.Users.Where(u => u.Email == DemoAudit.AuditorUserEmail).Select(u => u.Id).SingleAsync();
        var lead = new AuditActor(auditorId, false, null);
        var created = await new CreateAuditHandler(db, TimeProvider.System).HandleAsync(new CreateAuditRequest(
            DemoData.MeridianSupplierId, auditorId, AuditType.OnSite, "Walk the outbound gate and sample seal records at the depot.",
            "Felixstowe cross-dock depot", "Container sealing", "Road", "8", null, DeclaresIndependence: true, ConflictNote: null), CancellationToken.None);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.SelectMany(e => e.Value)));
        var proposed = await new SchedulingHandler(db, TimeProvider.System).ProposeAsync(
            new ProposeSlotsRequest(created.Value!.Id, lead, [new SlotInput(start, end)], null), CancellationToken.None);
        Assert.True(proposed.Succeeded, string.Join("; ", proposed.Errors.SelectMany(e => e.Value)));
        return created.Value.Id;
    }

    private static async Task SaveStepAsync(IPage page, int step, string records)
    {
        await page.Locator($"#records-{step}").FillAsync(records);
        await page.GetByTestId($"step-{step}").GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("message")).ToHaveTextAsync($"Step {step} ({AuditSteps.Get(step).Title}) saved.");
    }

    private static async Task UploadAsync(IPage page, FilePayload file)
    {
        await page.GetByTestId("offline-file").SetInputFilesAsync(file);
        await page.GetByTestId("offline-preview-button").ClickAsync();
    }

    private static FilePayload Workbook(List<Dictionary<string, object?>> steps, List<Dictionary<string, object?>> findings, Guid auditId)
    {
        // Values only, the sheets and headers kept, as a spreadsheet program saves the file (MiniExcel, as the Portal writes it).
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object>
        {
            [OfflineColumns.StepsSheet] = steps,
            [OfflineColumns.FindingsSheet] = findings,
            [OfflineColumns.AboutSheet] = new List<Dictionary<string, object?>> { new() { [OfflineColumns.AboutKey] = OfflineColumns.AuditIdItem, [OfflineColumns.AboutValue] = auditId.ToString() } },
        });
        return new FilePayload
        {
            Name = "audit-on-site.xlsx",
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = stream.ToArray(),
        };
    }

    private static List<Dictionary<string, object?>> Sheet(byte[] workbook, string sheet) =>
        [.. MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true, sheetName: sheet)
            .Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r, StringComparer.Ordinal))];

    private static async Task AssertConflictAsync(IPage page, string key, string portal, string file)
    {
        var change = page.Locator($"[data-testid=offline-change][data-key='{key}']");
        await Assertions.Expect(change).ToHaveAttributeAsync("data-kind", "Conflict");
        var row = change.Locator($"tr[data-field='{OfflineColumns.Records}']");
        await Assertions.Expect(row.GetByTestId("portal-value")).ToHaveTextAsync(portal);
        await Assertions.Expect(row.GetByTestId("file-value")).ToHaveTextAsync(file);
        await Assertions.Expect(change.GetByTestId($"keep-portal-{key}")).Not.ToBeCheckedAsync();
        await Assertions.Expect(change.GetByTestId($"take-file-{key}")).Not.ToBeCheckedAsync();
    }

    private static async Task FillRescheduleAsync(IPage page, string reason, params (DateTimeOffset Start, DateTimeOffset End)[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            await page.GetByTestId($"reschedule-start-{i}").FillAsync(Local(slots[i].Start));
            await page.GetByTestId($"reschedule-end-{i}").FillAsync(Local(slots[i].End));
        }

        await page.GetByTestId("reschedule-reason").FillAsync(reason);
        await page.GetByTestId("reschedule-submit").ClickAsync();
    }

    private static ILocator CalendarVisit(IPage page, Guid auditId) =>
        page.GetByTestId("calendar-visit").Filter(new() { Has = page.Locator($"a[href='/Audits/{auditId}']") });

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static int Sequence(string ics) => int.Parse(SequenceLine().Match(ics).Groups[1].Value, CultureInfo.InvariantCulture);

    private sealed record CalendarMail(string To, string Subject, string Body, string Method, int Sequence, string Start, string Calendar);

    /// <summary>The e-mailed calendars of the audit (by UID), read from the Portal's mail pickup folder as a mail client would.</summary>
    private List<CalendarMail> Calendars(Guid auditId)
    {
        var folder = Path.Combine(fixture.Portal.DataDirectory, "mail-pickup");
        var uid = $"UID:audit-{auditId:N}@supplierassure";
        var found = new List<CalendarMail>();
        foreach (var file in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.eml") : [])
        {
            using var message = MimeKit.MimeMessage.Load(file);
            foreach (var part in message.Attachments.OfType<MimeKit.MimePart>().Where(p => p.ContentType.MimeType == "text/calendar"))
            {
                using var content = new MemoryStream();
                part.Content!.DecodeTo(content);
                var text = Encoding.UTF8.GetString(content.ToArray());
                if (text.Contains(uid, StringComparison.Ordinal))
                {
                    found.Add(new CalendarMail(message.To.Mailboxes.Single().Address, message.Subject ?? string.Empty, message.TextBody ?? string.Empty,
                        MethodLine().Match(text).Groups[1].Value, Sequence(text), StartLine().Match(text).Groups[1].Value, text));
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"METHOD:(\S+)")]
    private static partial Regex MethodLine();

    [GeneratedRegex(@"SEQUENCE:(\d+)")]
    private static partial Regex SequenceLine();

    [GeneratedRegex(@"DTSTART:(\S+)")]
    private static partial Regex StartLine();
}
