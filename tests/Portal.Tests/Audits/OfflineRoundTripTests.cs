using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>
/// The offline round trip through the pages, on one host: export with hidden id and version columns; the same file
/// back changes nothing; a damaged file and bad cells are reported by sheet, row and column with nothing written;
/// edits, a new finding and a conflict with a colleague's Portal change are previewed side by side and written only on
/// confirmation, with the auditor's choice; a preview overtaken by a Portal change is refused; a workbook of another
/// audit, supplier users and an issued (locked) report are refused.
/// </summary>
public sealed class OfflineRoundTripTests : IDisposable
{
    private const string Auditor = "olga.auditor@operator.example";
    private const string Colleague = "omar.auditor@operator.example";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task ExportEditImport_PreviewWithConflicts_WritesAllOrNothing_RefusesForeignLockedAndBadFiles()
    {
        await _portal.CreateUserAsync(Auditor, Roles.Auditor);
        var colleagueId = await _portal.CreateUserAsync(Colleague, Roles.Auditor);
        using var auditor = await PortalSession.SignInAsync(_portal, Auditor);
        using var colleague = await PortalSession.SignInAsync(_portal, Colleague);
        var auditId = await CreateAuditAsync(auditor, DemoData.CalderaSupplierId, AuditType.DocumentReview);
        await JoinAsync(auditor, colleague, auditId, colleagueId);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(auditor, auditId, 1, "Objectives agreed by phone.", complete: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(auditor, auditId, 3, "Plan: sample ten containers.", complete: false)).StatusCode);
        using (var finding = await auditor.PostFormAsync($"/Audits/{auditId}/Run?handler=Finding", new Dictionary<string, string>
               {
                   ["Reference"] = "8.1", ["Grade"] = "MinorNonconformity", ["Evidence"] = "Seal log misses two entries.", ["Site"] = "Stuttgart",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, finding.StatusCode);
        }

        var (_, run) = await auditor.GetPageAsync($"/Audits/{auditId}/Run");
        Assert.NotNull(run.QuerySelector("[data-testid=offline-link]"));

        // Export: three sheets, the id, version and check columns hidden.
        var exported = await ExportAsync(auditor, auditId);
        using (var zip = new ZipArchive(new MemoryStream(exported)))
        {
            using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
            var sheet = await reader.ReadToEndAsync();
            Assert.Contains("<x:col min=\"1\" max=\"1\"", sheet, StringComparison.Ordinal);
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(sheet, "hidden=\"1\"").Count);
        }

        Assert.Equal(new[] { "Checklist", "Findings", "About" }, MiniExcel.GetSheetNames(new MemoryStream(exported)));
        var steps = Sheet(exported, OfflineColumns.StepsSheet);
        Assert.Equal(10, steps.Count);
        Assert.Equal("Objectives agreed by phone.", steps[0][OfflineColumns.Records]);
        var findings = Sheet(exported, OfflineColumns.FindingsSheet);
        Assert.Equal("Minor nonconformity", Assert.Single(findings)[OfflineColumns.Grade]);

        // The same file back: nothing to write.
        var same = await PreviewAsync(auditor, auditId, exported);
        Assert.NotNull(same.QuerySelector("[data-testid=offline-nothing]"));
        Assert.Contains("11 row(s) unchanged", same.QuerySelector("[data-testid=offline-summary]")!.TextContent, StringComparison.Ordinal);

        // A file that is not a workbook, and a workbook with bad cells: reported per row and column, nothing written.
        var garbage = await PreviewAsync(auditor, auditId, "%PDF-1.7 not a workbook"u8.ToArray());
        Assert.Contains("not a readable .xlsx", garbage.QuerySelector("[data-testid=offline-errors]")!.TextContent, StringComparison.Ordinal);
        var badSteps = Copy(steps);
        badSteps[1][OfflineColumns.Records] = new string('x', 4001);
        var badFindings = Copy(findings);
        badFindings[0][OfflineColumns.Grade] = "Severe";
        badFindings.Add(Row(null, "12.4", "Major nonconformity", "", "Dock 3"));
        badFindings.Add(Row(Guid.NewGuid().ToString(), "8", "Conformity", "Planted.", null));
        var bad = await PreviewAsync(auditor, auditId, Workbook(badSteps, badFindings, auditId));
        var errors = bad.QuerySelectorAll("[data-testid=offline-error]").Select(e => $"{e.GetAttribute("data-sheet")}!{e.GetAttribute("data-row")}!{e.GetAttribute("data-column")}").ToList();
        Assert.Equal(new[]
        {
            "Checklist!3!Records", "Findings!2!Grade", "Findings!3!Clause or domain", "Findings!3!Objective evidence", "Findings!4!Row id",
        }, errors);
        Assert.Null(bad.QuerySelector("[data-testid=offline-confirm]"));
        await AssertUnchangedAsync(auditId, stepOne: "Objectives agreed by phone.", findingCount: 1);

        // The colleague saves steps 1 and 3 in the Portal after the export.
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(colleague, auditId, 1, "Colleague: objectives confirmed in writing.", complete: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(colleague, auditId, 3, "Colleague: plan sent to the supplier.", complete: false)).StatusCode);

        // The auditor's file: step 1 (conflict), step 2 (change), the finding (change), a new finding; step 3 untouched.
        var edited = Copy(steps);
        edited[0][OfflineColumns.Records] = "Auditor: objectives agreed on site with the plant manager.";
        edited[1][OfflineColumns.Records] = "Read the scope statement and the risk register.";
        var editedFindings = Copy(findings);
        editedFindings[0][OfflineColumns.Evidence] = "Seal log misses two entries (containers 4411 and 4417).";
        editedFindings.Add(Row(null, "physical", "major", "Visitor badges not returned at the gate.", "Gate 2"));
        var file = Workbook(edited, editedFindings, auditId);
        var preview = await PreviewAsync(auditor, auditId, file);
        Assert.Null(preview.QuerySelector("[data-testid=offline-errors]")?.TextContent);
        var changes = preview.QuerySelectorAll("[data-testid=offline-change]").ToDictionary(c => c.GetAttribute("data-key")!, c => c);
        Assert.Equal(4, changes.Count);
        var conflict = changes["step-1"];
        Assert.Equal("Conflict", conflict.GetAttribute("data-kind"));
        Assert.Equal("Colleague: objectives confirmed in writing.", conflict.QuerySelector("[data-testid=portal-value]")!.TextContent);
        Assert.Equal("Auditor: objectives agreed on site with the plant manager.", conflict.QuerySelector("[data-testid=file-value]")!.TextContent);
        Assert.Equal("Changed", changes["step-2"].GetAttribute("data-kind"));
        Assert.Equal("Changed", changes.Single(c => c.Key.StartsWith("finding-", StringComparison.Ordinal)).Value.GetAttribute("data-kind"));
        Assert.Equal("New", changes.Single(c => c.Key.StartsWith("new-", StringComparison.Ordinal)).Value.GetAttribute("data-kind"));
        Assert.Contains("1 row(s) changed only in the Portal", preview.QuerySelector("[data-testid=offline-summary]")!.TextContent, StringComparison.Ordinal);
        await AssertUnchangedAsync(auditId, stepOne: "Colleague: objectives confirmed in writing.", findingCount: 1);

        // Confirming without a choice for the conflict writes nothing.
        var undecided = await ApplyAsync(auditor, auditId, preview, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, undecided.Response.StatusCode);
        Assert.Contains("Choose which value to keep for each conflict", undecided.Page.QuerySelector("[data-testid=offline-problem]")!.TextContent, StringComparison.Ordinal);
        await AssertUnchangedAsync(auditId, stepOne: "Colleague: objectives confirmed in writing.", findingCount: 1);

        // A Portal change after the preview: the confirmation is refused and the new preview shown.
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(colleague, auditId, 2, "Colleague: read the policy.", complete: false)).StatusCode);
        var stale = await ApplyAsync(auditor, auditId, preview, new Dictionary<string, string> { ["step-1"] = "file" });
        Assert.Contains("changed in the Portal after your preview", stale.Page.QuerySelector("[data-testid=offline-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Conflict", stale.Page.QuerySelector("[data-key=step-2]")!.GetAttribute("data-kind"));
        await AssertUnchangedAsync(auditId, stepOne: "Colleague: objectives confirmed in writing.", findingCount: 1);

        // Confirmed on the fresh preview: step 1 takes the file, step 2 keeps the colleague's.
        var applied = await ApplyAsync(auditor, auditId, stale.Page, new Dictionary<string, string> { ["step-1"] = "file", ["step-2"] = "portal" });
        Assert.Equal(HttpStatusCode.Redirect, applied.Response.StatusCode);
        var (_, after) = await auditor.GetPageAsync($"/Audits/{auditId}/Run");
        Assert.Contains("1 new finding(s), 2 row(s) updated, 1 conflict(s) kept as in the Portal", after.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        await using (var db = _portal.CreateDbContext())
        {
            var records = await db.Set<AuditStep>().AsNoTracking().Where(s => s.AuditId == auditId).OrderBy(s => s.Number).Select(s => s.Records).ToListAsync();
            Assert.Equal("Auditor: objectives agreed on site with the plant manager.", records[0]);
            Assert.Equal("Colleague: read the policy.", records[1]);
            Assert.Equal("Colleague: plan sent to the supplier.", records[2]);
            var saved = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == auditId).OrderBy(f => f.RecordedAt).ToListAsync();
            Assert.Equal(2, saved.Count);
            Assert.Equal("Seal log misses two entries (containers 4411 and 4417).", saved[0].Evidence);
            Assert.Equal(("Physical", AuditGrade.MajorNonconformity, "Gate 2"), (saved[1].Reference, saved[1].Grade, saved[1].Site));
        }

        // Another audit's workbook, and supplier users (Caldera's own and Meridian's): refused.
        var otherAudit = await CreateAuditAsync(auditor, DemoData.OakridgeSupplierId, AuditType.DocumentReview);
        var foreign = await PreviewAsync(auditor, otherAudit, file);
        Assert.Contains("was not exported from this audit", foreign.QuerySelector("[data-testid=errors]")!.TextContent, StringComparison.Ordinal);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(0, await db.Set<AuditFinding>().CountAsync(f => f.AuditId == otherAudit));
        }

        foreach (var email in new[] { DemoData.OtherSupplierUserEmail, DemoData.SupplierUserEmail })
        {
            using var supplier = await PortalSession.SignInAsync(_portal, email);
            Assert.Equal(HttpStatusCode.NotFound, (await supplier.GetPageAsync($"/Audits/{auditId}/Offline")).Response.StatusCode);
            using var download = await supplier.Client.GetAsync(new Uri($"/Audits/{auditId}/Offline?handler=Export", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        }

        // Issued report: the audit is locked; the export still works, the import is refused.
        await using (var db = _portal.CreateDbContext())
        {
            db.Add(new AuditReport
            {
                Id = Guid.NewGuid(), AuditId = auditId, SupplierId = DemoData.CalderaSupplierId, Revision = 1, IssuedAt = DateTimeOffset.UtcNow,
                IssuedBy = colleagueId, SnapshotJson = "{}", Sha256 = new string('0', 64),
            });
            await db.SaveChangesAsync();
        }

        var (_, lockedPage) = await auditor.GetPageAsync($"/Audits/{auditId}/Offline");
        Assert.NotNull(lockedPage.QuerySelector("[data-testid=offline-locked]"));
        Assert.Null(lockedPage.QuerySelector("[data-testid=offline-upload]"));
        var lockedExport = await ExportAsync(auditor, auditId);
        var lockedSteps = Copy(Sheet(lockedExport, OfflineColumns.StepsSheet));
        lockedSteps[3][OfflineColumns.Records] = "Late change.";
        var locked = await PreviewAsync(auditor, auditId, Workbook(lockedSteps, Copy(Sheet(lockedExport, OfflineColumns.FindingsSheet)), auditId));
        Assert.Contains("locked", locked.QuerySelector("[data-testid=errors]")!.TextContent, StringComparison.Ordinal);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Null(await db.Set<AuditStep>().Where(s => s.AuditId == auditId && s.Number == 4).Select(s => s.Records).SingleAsync());
        }
    }

    private static async Task JoinAsync(PortalSession lead, PortalSession member, Guid auditId, Guid memberId)
    {
        using (var added = await lead.PostFormAsync($"/Audits/{auditId}?handler=AddMember", new Dictionary<string, string> { ["AuditorId"] = memberId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        using var declared = await member.PostFormAsync($"/Audits/{auditId}?handler=Declare", new Dictionary<string, string> { ["Declaration"] = "independent" });
        Assert.Equal(HttpStatusCode.Redirect, declared.StatusCode);
    }

    private static async Task<byte[]> ExportAsync(PortalSession session, Guid auditId)
    {
        using var response = await session.Client.GetAsync(new Uri($"/Audits/{auditId}/Offline?handler=Export", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<IHtmlDocument> PreviewAsync(PortalSession session, Guid auditId, byte[] workbook)
    {
        var path = $"/Audits/{auditId}/Offline";
        var token = await session.GetTokenAsync(path);
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "Workbook", "audit-offline.xlsx");
        using var response = await session.Client.PostAsync(new Uri(path + "?handler=Preview", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalSession.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the preview's confirmation form back with the given choices, as the browser would.</summary>
    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> ApplyAsync(PortalSession session, Guid auditId, IHtmlDocument preview, Dictionary<string, string> choices)
    {
        var form = preview.QuerySelector("[data-testid=offline-preview] form")!;
        var fields = new Dictionary<string, string>
        {
            ["Payload"] = form.QuerySelector("input[name=Payload]")!.GetAttribute("value")!,
            ["Fingerprint"] = form.QuerySelector("input[name=Fingerprint]")!.GetAttribute("value")!,
        };
        foreach (var (key, value) in choices)
        {
            fields[$"Choice[{key}]"] = value;
        }

        var response = await session.PostFormAsync($"/Audits/{auditId}/Offline?handler=Apply", fields, tokenFrom: $"/Audits/{auditId}/Offline");
        return (response, PortalSession.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task AssertUnchangedAsync(Guid auditId, string stepOne, int findingCount)
    {
        await using var db = _portal.CreateDbContext();
        Assert.Equal(stepOne, await db.Set<AuditStep>().Where(s => s.AuditId == auditId && s.Number == 1).Select(s => s.Records).SingleAsync());
        Assert.Equal(findingCount, await db.Set<AuditFinding>().CountAsync(f => f.AuditId == auditId));
    }

    private static List<Dictionary<string, object?>> Sheet(byte[] workbook, string sheet) =>
        [.. MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true, sheetName: sheet)
            .Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r))];

    private static List<Dictionary<string, object?>> Copy(List<Dictionary<string, object?>> rows) => [.. rows.Select(r => new Dictionary<string, object?>(r))];

    private static Dictionary<string, object?> Row(string? id, string reference, string grade, string evidence, string? site) => new()
    {
        [OfflineColumns.RowId] = id, [OfflineColumns.RowVersion] = null, [OfflineColumns.RowCheck] = null,
        [OfflineColumns.Reference] = reference, [OfflineColumns.Grade] = grade, [OfflineColumns.Evidence] = evidence, [OfflineColumns.Site] = site,
        [OfflineColumns.Released] = null,
    };

    /// <summary>The workbook as a spreadsheet program would save it after the edits (values only, same sheets and headers).</summary>
    private static byte[] Workbook(List<Dictionary<string, object?>> steps, List<Dictionary<string, object?>> findings, Guid auditId)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(new Dictionary<string, object>
        {
            [OfflineColumns.StepsSheet] = steps,
            [OfflineColumns.FindingsSheet] = findings,
            [OfflineColumns.AboutSheet] = new List<Dictionary<string, object?>> { new() { [OfflineColumns.AboutKey] = OfflineColumns.AuditIdItem, [OfflineColumns.AboutValue] = auditId.ToString() } },
        });
        return stream.ToArray();
    }

    public void Dispose() => _portal.Dispose();
}
