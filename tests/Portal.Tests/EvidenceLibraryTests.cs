using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Evidence;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The supplier's evidence library: the list with its expiry flags, a stored file linked to a second question (one copy
/// of the bytes, seen by reviewers and the API like an upload), versions on replace, the next cycle's reuse, isolation.
/// One host serves the class: each test uploads into a questionnaire of its own, issued to a new supplier set up like
/// Meridian (<see cref="SharedPortalFixture.AddQuestionnaireAsync"/>), and counts stored files relative to its start.
/// </summary>
public sealed class EvidenceLibraryTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private static readonly byte[] PolicyPdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% security policy v1\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly byte[] PolicyV2 = Encoding.ASCII.GetBytes("Security policy, version 2: seals are logged at every handover.\n");
    private static readonly byte[] SealLog = Encoding.ASCII.GetBytes("Seal log, May: 412 seals, 0 discrepancies.\n");
    private readonly PortalFactory _portal = fixture.Portal;

    /// <summary>This test's own questionnaire (set by <see cref="OwnAsync"/> first thing in each test).</summary>
    private OwnQuestionnaire _own = null!;

    private Guid OwnAssessment => _own.AssessmentId;

    private async Task<OwnQuestionnaire> OwnAsync() => _own = await fixture.AddQuestionnaireAsync("Library Test");

    private int StoredFiles() => Directory.EnumerateFiles(Path.Combine(_portal.DataDirectory, "evidence"), "*", SearchOption.AllDirectories).Count();

    [Fact]
    public async Task Library_UploadsAcrossQuestions_ListedWithUsesUploaderAndExpiryFlags()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        await UploadAsync(session, ("LEAD-01", "security policy.pdf", PolicyPdf), ("CTX-01", "seal log.txt", SealLog));
        var policy = await DocumentAsync("security policy");
        var seals = await DocumentAsync("seal log");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using (var saved = await SaveDetailsAsync(session, policy, "Security policy", "Policy", today.AddDays(-1)))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var saved = await SaveDetailsAsync(session, seals, "Seal log", "Record", today.AddDays(10)))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var (response, page) = await session.GetPageAsync("/Evidence");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("[data-testid=library-row]").ToDictionary(r => r.QuerySelector("[data-testid=document-link]")!.TextContent);
        Assert.Equal(["Seal log", "Security policy"], rows.Keys.Order());
        Assert.Contains("LEAD-01", rows["Security policy"].QuerySelector("[data-testid=supports]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("CTX-01", rows["Seal log"].QuerySelector("[data-testid=supports]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"uploaded by {own.UserDisplayName}", rows["Security policy"].TextContent, StringComparison.Ordinal);
        Assert.Contains("Policy", rows["Security policy"].TextContent, StringComparison.Ordinal);
        Assert.Equal("Expired", rows["Security policy"].QuerySelector("[data-testid=expiry-flag]")!.TextContent);
        Assert.Equal("Expires within 30 days", rows["Seal log"].QuerySelector("[data-testid=expiry-flag]")!.TextContent);
        Assert.Contains("1 expired, 1 expiring", page.QuerySelector("[data-testid=expiry-summary]")!.TextContent, StringComparison.Ordinal);

        // Bad input comes back with messages and changes nothing; a form shown before someone else's save is refused.
        using (var bad = await SaveDetailsAsync(session, seals, " ", "Nonsense", null, expiresText: "31/12/2027"))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            var text = PortalSession.Parse(await bad.Content.ReadAsStringAsync()).Body!.TextContent;
            Assert.Contains("Enter the last valid day as a date", text, StringComparison.Ordinal);
            Assert.Contains("Choose one of the listed categories.", text, StringComparison.Ordinal);
        }

        using (var stale = await SaveDetailsAsync(session, seals, "Renamed", "Record", null, version: 1))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Contains("Someone changed this document", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var db = _portal.CreateDbContext();
        var stored = await db.EvidenceDocuments.AsNoTracking().SingleAsync(d => d.Id == seals);
        Assert.Equal(("Seal log", EvidenceCategory.Record, today.AddDays(10)), (stored.Title, stored.Category, stored.ExpiresOn!.Value));
    }

    [Fact]
    public async Task Link_LibraryFileToAnotherQuestion_OneStoredCopyThatReviewersAndTheApiSeeAsEvidence()
    {
        var own = await OwnAsync();
        var storedBefore = Directory.Exists(Path.Combine(_portal.DataDirectory, "evidence")) ? StoredFiles() : 0;
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        await UploadAsync(session, ("LEAD-01", "security policy.pdf", PolicyPdf));
        var policy = await DocumentAsync("security policy");

        using (var linked = await LinkAsync(session, policy, OwnAssessment, "CTX-01"))
        {
            Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var rows = await db.EvidenceFiles.AsNoTracking().Where(f => f.DocumentId == policy).OrderBy(f => f.QuestionCode).ToListAsync();
            Assert.Equal(["CTX-01", "LEAD-01"], rows.Select(r => r.QuestionCode));
            Assert.Single(rows.Select(r => r.StorageKey).Distinct());
            Assert.Single(rows.Select(r => r.VersionId).Distinct());
            Assert.NotNull(rows[0].LinkedAt);
            Assert.Null(rows[1].LinkedAt);
            Assert.Equal(1, await db.EvidenceVersions.CountAsync(v => v.DocumentId == policy));
        }

        Assert.Equal(storedBefore + 1, StoredFiles());

        // The answering page lists it under both questions.
        var (_, answering) = await session.GetPageAsync($"/Assessments/{OwnAssessment}");
        Assert.Contains("security policy.pdf", answering.QuerySelector("[data-testid=evidence-CTX-01]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("security policy.pdf", answering.QuerySelector("[data-testid=evidence-LEAD-01]")!.TextContent, StringComparison.Ordinal);

        // Linking twice, to a question the questionnaire does not ask, or with no choice: messages, no new rows.
        using (var again = await LinkAsync(session, policy, OwnAssessment, "CTX-01"))
        {
            Assert.Contains("already supports this question", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unknown = await LinkAsync(session, policy, OwnAssessment, "NOPE-99"))
        {
            Assert.Contains("Not a question of this questionnaire: NOPE-99.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var garbage = await session.PostFormAsync($"/Evidence/Documents/{policy}?handler=Link", new Dictionary<string, string> { ["target"] = "not-a-target" }))
        {
            Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
            Assert.Contains("Choose the question this document supports.", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(2, await db.EvidenceFiles.CountAsync(f => f.DocumentId == policy));
        }

        // A reviewer reads the linked file in the review file and through the API exactly like the uploaded one.
        using var reviewer = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (reviewResponse, review) = await reviewer.GetPageAsync($"/Reviews/{OwnAssessment}");
        Assert.Equal(HttpStatusCode.OK, reviewResponse.StatusCode);
        var linkedHref = review.QuerySelector("[data-testid=evidence-CTX-01] a")!.GetAttribute("href")!;
        Assert.Contains("security policy.pdf", review.QuerySelector("[data-testid=evidence-CTX-01]")!.TextContent, StringComparison.Ordinal);
        using (var download = await reviewer.Client.GetAsync(new Uri(linkedHref, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(PolicyPdf, await download.Content.ReadAsByteArrayAsync());
        }

        var token = await _portal.GetPartnerTokenAsync("procurement.read", "demo-procurement-system");
        using var api = _portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var file = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/reviews/{OwnAssessment}", UriKind.Relative));
        var evidence = file.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "CTX-01").GetProperty("evidence").EnumerateArray().Single();
        Assert.Equal("security policy.pdf", evidence.GetProperty("fileName").GetString());
        using var apiDownload = await api.GetAsync(new Uri(evidence.GetProperty("download").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, apiDownload.StatusCode);
        Assert.Equal(PolicyPdf, await apiDownload.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Replace_AndNextCycle_SubmittedKeepsItsVersionOpenMovesAndValidFilesRelinkInOneClick()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        await UploadAsync(session, ("LEAD-01", "security policy.pdf", PolicyPdf), ("CTX-01", "seal log.txt", SealLog));
        var policy = await DocumentAsync("security policy");
        var seals = await DocumentAsync("seal log");
        using (await SaveDetailsAsync(session, seals, "Seal log", "Record", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3)))
        {
        }

        // Last cycle's questionnaire is done; this cycle's is issued.
        var next = await NextCycleAsync();

        var (response, reuse) = await session.GetPageAsync($"/Evidence/Reuse/{next}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var candidates = reuse.QuerySelectorAll("[data-testid=candidate]").ToDictionary(r => Guid.Parse(r.GetAttribute("data-document-id")!));
        Assert.Equal(2, candidates.Count);
        Assert.NotNull(candidates[policy].QuerySelector("[data-testid=link-again]"));
        Assert.Contains("LEAD-01", candidates[policy].TextContent, StringComparison.Ordinal);
        Assert.NotNull(candidates[seals].QuerySelector("[data-testid=renew]"));
        Assert.Equal("Expired", candidates[seals].QuerySelector("[data-testid=expiry-flag]")!.TextContent);

        using (var linked = await session.PostFormAsync($"/Evidence/Reuse/{next}?handler=Link", new Dictionary<string, string> { ["documentId"] = policy.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        }

        // The expired one cannot be linked, neither from the reuse page nor from its own page.
        using (var expired = await LinkAsync(session, seals, next, "CTX-01"))
        {
            Assert.Contains("expired on", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var all = await session.PostFormAsync($"/Evidence/Reuse/{next}?handler=LinkAll", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        }

        Guid lastCycleRow, thisCycleRow;
        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.EvidenceFiles.AnyAsync(f => f.AssessmentId == next && f.DocumentId == seals));
            lastCycleRow = await db.EvidenceFiles.Where(f => f.AssessmentId == OwnAssessment && f.DocumentId == policy).Select(f => f.Id).SingleAsync();
            thisCycleRow = await db.EvidenceFiles.Where(f => f.AssessmentId == next && f.DocumentId == policy && f.QuestionCode == "LEAD-01").Select(f => f.Id).SingleAsync();
        }

        // A disguised executable is refused as on any upload: no version, no stored file.
        var storedBefore = StoredFiles();
        using (var refused = await ReplaceAsync(session, policy, "policy.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00]))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Only PDF, PNG, JPEG", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(storedBefore, StoredFiles());

        using (var replaced = await ReplaceAsync(session, policy, "../../security policy v2.txt", PolicyV2))
        {
            Assert.Equal(HttpStatusCode.Redirect, replaced.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var versions = await db.EvidenceVersions.AsNoTracking().Where(v => v.DocumentId == policy).OrderBy(v => v.Number).ToListAsync();
            Assert.Equal([1, 2], versions.Select(v => v.Number));
            Assert.Equal("security policy v2.txt", versions[1].FileName);
            Assert.Equal("text/plain", versions[1].ContentType);
            Assert.Equal(versions[1].Id, (await db.EvidenceDocuments.SingleAsync(d => d.Id == policy)).CurrentVersionId);
            Assert.Equal(versions[0].Id, (await db.EvidenceFiles.SingleAsync(f => f.Id == lastCycleRow)).VersionId);
            Assert.Equal(versions[1].Id, (await db.EvidenceFiles.SingleAsync(f => f.Id == thisCycleRow)).VersionId);
        }

        Assert.Equal(PolicyPdf, await DownloadAsync(session, $"/evidence/{lastCycleRow}"));
        Assert.Equal(PolicyV2, await DownloadAsync(session, $"/evidence/{thisCycleRow}"));

        var (_, history) = await session.GetPageAsync($"/Evidence/Documents/{policy}");
        Assert.Contains("Version 2 is now current. 1 question(s) of open questionnaires now show it", history.QuerySelector("[data-testid=notice]")!.TextContent, StringComparison.Ordinal);
        var v1 = history.QuerySelector("[data-testid=version-1] [data-testid=version-download]")!.GetAttribute("href")!;
        Assert.Equal(PolicyPdf, await DownloadAsync(session, v1));
        // LEAD-01 of this cycle (listed first) shows version 2, last cycle's still version 1.
        Assert.Equal(["2", "1"], history.QuerySelectorAll("[data-testid=use-LEAD-01] [data-testid=use-version]").Select(c => c.TextContent));
        // The replace control states and carries the server's own per-file limit (the page script refuses larger files).
        var replaceFile = history.QuerySelector("[data-testid=replace-file]")!;
        var limit = _portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EvidenceOptions>>().Value.MaxFileBytes;
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), replaceFile.GetAttribute("data-max-bytes"));
        Assert.Contains($"up to {SupplierAssure.Portal.Features.Assessments.DetailsModel.SizeWords(limit)}", history.QuerySelector("label[for=replace-file]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Library_AnotherOrganisationOrOperatorStaff_FindNothingAndChangeNothing()
    {
        var own = await OwnAsync();
        using var meridian = await PortalSession.SignInAsync(_portal, own.UserEmail);
        await UploadAsync(meridian, ("LEAD-01", "security policy.pdf", PolicyPdf));
        var policy = await DocumentAsync("security policy");
        Guid version;
        await using (var db = _portal.CreateDbContext())
        {
            version = await db.EvidenceVersions.Where(v => v.DocumentId == policy).Select(v => v.Id).SingleAsync();
        }

        using var caldera = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);
        var (listed, list) = await caldera.GetPageAsync("/Evidence");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Empty(list.QuerySelectorAll("[data-testid=library-row]"));
        Assert.DoesNotContain("security policy", list.Body!.TextContent, StringComparison.Ordinal);
        foreach (var path in new[] { $"/Evidence/Documents/{policy}", $"/Evidence/Documents/{policy}?handler=File&versionId={version}", $"/Evidence/Reuse/{OwnAssessment}" })
        {
            var (response, _) = await caldera.GetPageAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        // The test supplier's document into Caldera's questionnaire, and Caldera's form replayed on that document.
        using (var link = await caldera.PostFormAsync($"/Evidence/Documents/{policy}?handler=Link",
                   new Dictionary<string, string> { ["target"] = $"{DemoData.CalderaAssessmentId}|LEAD-01" }, tokenFrom: "/Evidence"))
        {
            Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        }

        using (var replace = await ReplaceAsync(caldera, policy, "planted.txt", SealLog, tokenFrom: "/Evidence"))
        {
            Assert.Equal(HttpStatusCode.NotFound, replace.StatusCode);
        }

        using var procurement = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (denied, _) = await procurement.GetPageAsync("/Evidence");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(1, await db.EvidenceVersions.CountAsync(v => v.DocumentId == policy));
            Assert.Equal(1, await db.EvidenceFiles.CountAsync(f => f.DocumentId == policy));
            Assert.False(await db.EvidenceFiles.AnyAsync(f => f.SupplierId == DemoData.CalderaSupplierId));
        }
    }

    private async Task UploadAsync(PortalSession session, params (string Code, string FileName, byte[] Content)[] files)
    {
        var form = new AssessmentForm();
        foreach (var (code, name, content) in files)
        {
            form.Attach(code, name, content);
        }

        using var response = await form.PostAsync(session, OwnAssessment, "Save");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<Guid> DocumentAsync(string title)
    {
        await using var db = _portal.CreateDbContext();
        return await db.EvidenceDocuments.Where(d => d.Title == title && d.SupplierId == _own.SupplierId).Select(d => d.Id).SingleAsync();
    }

    private async Task<HttpResponseMessage> SaveDetailsAsync(PortalSession session, Guid document, string title, string category, DateOnly? expiresOn, string? expiresText = null, long? version = null)
    {
        long current;
        await using (var db = _portal.CreateDbContext())
        {
            current = await db.EvidenceDocuments.Where(d => d.Id == document).Select(d => d.Version).SingleAsync();
        }

        return await session.PostFormAsync($"/Evidence/Documents/{document}?handler=Details", new Dictionary<string, string>
        {
            ["Input.Title"] = title,
            ["Input.Category"] = category,
            ["Input.ExpiresOn"] = expiresText ?? expiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            ["Input.Version"] = (version ?? current).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static Task<HttpResponseMessage> LinkAsync(PortalSession session, Guid document, Guid assessment, string code) =>
        session.PostFormAsync($"/Evidence/Documents/{document}?handler=Link", new Dictionary<string, string> { ["target"] = $"{assessment}|{code}" });

    private static async Task<HttpResponseMessage> ReplaceAsync(PortalSession session, Guid document, string fileName, byte[] content, string? tokenFrom = null)
    {
        var token = await session.GetTokenAsync(tokenFrom ?? $"/Evidence/Documents/{document}");
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent(content), "file", fileName);
        return await session.Client.PostAsync(new Uri($"/Evidence/Documents/{document}?handler=Replace", UriKind.Relative), form);
    }

    private static async Task<byte[]> DownloadAsync(PortalSession session, string path)
    {
        using var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Closes the demo questionnaire as last cycle's (approved) and issues this cycle's, with the same template.</summary>
    private async Task<Guid> NextCycleAsync()
    {
        await using var db = _portal.CreateDbContext();
        var last = await db.Assessments.SingleAsync(a => a.Id == OwnAssessment);
        last.State = AssessmentState.Approved;
        last.SubmittedAt = DateTimeOffset.UtcNow.AddDays(-1);
        var next = new Assessment
        {
            Id = Guid.NewGuid(), SupplierId = last.SupplierId, TemplateId = last.TemplateId, TierAtIssue = last.TierAtIssue,
            DueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60), IssuedAt = DateTimeOffset.UtcNow, State = AssessmentState.Issued,
        };
        db.Assessments.Add(next);
        await db.SaveChangesAsync();
        return next.Id;
    }
}
