using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Evidence;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The drop zone's upload endpoint (POST /Assessments/{id}/questions/{code}/evidence): files stored and described in
/// JSON, refusals as problem details naming the field with 400 / 404 / 409 / 413 / 415, and nothing written when refused.
/// One host for the class; each test uses its own question so they do not see each other's files.
/// </summary>
public sealed class EvidenceUploadEndpointTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% seal register\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly byte[] Text = Encoding.ASCII.GetBytes("Guard rota, week 22: every gate staffed, two patrols a night.\n");
    private static readonly Guid Meridian = DemoData.MeridianAssessmentId;

    [Fact]
    public async Task Upload_OneGoodFile_StoredAsVersionOneListedOnThePageAndDownloadable()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var token = await session.GetTokenAsync($"/Assessments/{Meridian}");

        using var response = await PostAsync(session, Meridian, "LEAD-01", token, ("seal register.pdf", Pdf));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var file = Assert.Single(json.RootElement.GetProperty("files").EnumerateArray().ToList());
        Assert.Equal("seal register.pdf", file.GetProperty("fileName").GetString());
        Assert.Equal("LEAD-01", file.GetProperty("questionCode").GetString());
        Assert.Equal("application/pdf", file.GetProperty("contentType").GetString());
        Assert.Equal(Pdf.Length, file.GetProperty("length").GetInt64());
        Assert.StartsWith("(0.1 KB, uploaded ", file.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var id = file.GetProperty("id").GetGuid();
        Assert.Equal($"/evidence/{id}", file.GetProperty("url").GetString());

        // Stored as any upload: a library document with version 1, the question's row pointing at it, the same bytes back.
        await using (var db = portal.CreateDbContext())
        {
            var row = await db.EvidenceFiles.AsNoTracking().SingleAsync(e => e.Id == id);
            Assert.Equal((Meridian, "LEAD-01"), (row.AssessmentId, row.QuestionCode));
            var version = await db.EvidenceVersions.AsNoTracking().SingleAsync(v => v.Id == row.VersionId);
            Assert.Equal((1, row.DocumentId!.Value, row.StorageKey), (version.Number, version.DocumentId, version.StorageKey));
            Assert.Equal("seal register", (await db.EvidenceDocuments.AsNoTracking().SingleAsync(d => d.Id == row.DocumentId)).Title);
        }

        using (var download = await session.Client.GetAsync(new Uri($"/evidence/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        }

        // The page lists it, and its file input is marked for the drop zone with this endpoint as the upload URL.
        var (_, page) = await session.GetPageAsync($"/Assessments/{Meridian}");
        Assert.Contains("seal register.pdf", page.QuerySelector("[data-testid=evidence-LEAD-01]")!.TextContent, StringComparison.Ordinal);
        var input = page.QuerySelector("input[type=file][name=evidence-LEAD-01]")!;
        Assert.Equal($"/Assessments/{Meridian}/questions/LEAD-01/evidence", input.GetAttribute("data-upload-url"));
        Assert.True(input.HasAttribute("multiple"));
        Assert.NotNull(page.QuerySelector("script[src^='/js/evidence-dropzone.js']"));
    }

    [Fact]
    public async Task Upload_TwoFilesInOneRequest_BothStoredAsSeparateDocuments()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var token = await session.GetTokenAsync($"/Assessments/{Meridian}");

        using var response = await PostAsync(session, Meridian, "CTX-01", token, ("scope statement.pdf", Pdf), ("guard rota.txt", Text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["scope statement.pdf", "guard rota.txt"], json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileName").GetString()));

        await using var db = portal.CreateDbContext();
        var rows = await db.EvidenceFiles.AsNoTracking().Where(e => e.AssessmentId == Meridian && e.QuestionCode == "CTX-01").ToListAsync();
        Assert.Equal(["guard rota.txt", "scope statement.pdf"], rows.Select(r => r.FileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, rows.Select(r => r.DocumentId).Distinct().Count());
        Assert.Contains(rows, r => r.ContentType == "text/plain");
    }

    [Fact]
    public async Task Upload_RefusedInputs_ProblemDetailsNamingTheFieldAndNothingWritten()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var token = await session.GetTokenAsync($"/Assessments/{Meridian}");
        var before = await CountAsync();

        // A type the sniffer does not accept (an executable header), and markup dressed as text: 415.
        using (var exe = await PostAsync(session, Meridian, "IMP-02", token, ("tool.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])))
        {
            var problem = await ProblemAsync(exe, HttpStatusCode.UnsupportedMediaType);
            Assert.Equal($"tool.pdf: {UploadEvidenceHandler.TypeNotAcceptedMessage}", Errors(problem, "file").Single());
        }

        using (var html = await PostAsync(session, Meridian, "IMP-02", token, ("notes.txt", Encoding.ASCII.GetBytes("<script>alert(1)</script> notes"))))
        {
            Assert.Single(Errors(await ProblemAsync(html, HttpStatusCode.UnsupportedMediaType), "file"));
        }

        // Over the size cap: 413, the partial file removed from the store. The cap is lowered to 1 MB on this class's own
        // host for the moment (the options object is the host's singleton) so the test sends 1 MB, not 25.
        var options = portal.Services.GetRequiredService<IOptions<EvidenceOptions>>().Value;
        var cap = options.MaxFileBytes;
        options.MaxFileBytes = 1024 * 1024;
        try
        {
            var big = new byte[options.MaxFileBytes + 1];
            Pdf.CopyTo(big, 0);
            using var tooBig = await PostAsync(session, Meridian, "IMP-02", token, ("scan.pdf", big));
            var problem = await ProblemAsync(tooBig, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("scan.pdf: The file is larger than the 1 MB limit.", Errors(problem, "file").Single());
        }
        finally
        {
            options.MaxFileBytes = cap;
        }

        // Not a question of this questionnaire; no file part at all; not multipart.
        using (var unknown = await PostAsync(session, Meridian, "NOPE-99", token, ("a.pdf", Pdf)))
        {
            Assert.Equal("This question is not part of the questionnaire.", Errors(await ProblemAsync(unknown, HttpStatusCode.BadRequest), "questionCode").Single());
        }

        using (var none = await PostAsync(session, Meridian, "IMP-02", token))
        {
            Assert.Single(Errors(await ProblemAsync(none, HttpStatusCode.BadRequest), "file"));
        }

        using (var plain = new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{Meridian}/questions/IMP-02/evidence") { Content = new StringContent("%PDF-1.7") })
        {
            plain.Headers.Add("RequestVerificationToken", token);
            using var response = await session.Client.SendAsync(plain);
            Assert.Single(Errors(await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType), "file"));
        }

        // No anti-forgery token, or a wrong one: 400 before anything is read.
        using (var missing = await PostAsync(session, Meridian, "IMP-02", token: null, ("a.pdf", Pdf)))
        {
            Assert.Single(Errors(await ProblemAsync(missing, HttpStatusCode.BadRequest), "__RequestVerificationToken"));
        }

        using (var forged = await PostAsync(session, Meridian, "IMP-02", "not-a-token", ("a.pdf", Pdf)))
        {
            Assert.Single(Errors(await ProblemAsync(forged, HttpStatusCode.BadRequest), "__RequestVerificationToken"));
        }

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Upload_AnotherOrganisationsOrASubmittedQuestionnaire_NotFoundOrConflict()
    {
        using var session = await PortalSession.SignInAsync(portal, DemoData.SupplierUserEmail);
        var token = await session.GetTokenAsync($"/Assessments/{Meridian}");
        var before = await CountAsync();

        // Caldera's questionnaire does not exist for Meridian's user (the same answer as a random id).
        using (var other = await PostAsync(session, DemoData.CalderaAssessmentId, "LEAD-01", token, ("a.pdf", Pdf)))
        {
            await ProblemAsync(other, HttpStatusCode.NotFound);
        }

        using (var missing = await PostAsync(session, Guid.NewGuid(), "LEAD-01", token, ("a.pdf", Pdf)))
        {
            await ProblemAsync(missing, HttpStatusCode.NotFound);
        }

        // Operator staff may not upload on a supplier's behalf.
        using (var staff = await PortalSession.SignInAsync(portal, DemoData.ProcurementUserEmail))
        {
            using var refused = await PostAsync(staff, DemoData.CalderaAssessmentId, "LEAD-01", await staff.GetTokenAsync("/"), ("a.pdf", Pdf));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        // Caldera's own user, once the questionnaire is submitted: 409.
        using var caldera = await PortalSession.SignInAsync(portal, DemoData.OtherSupplierUserEmail);
        var calderaToken = await caldera.GetTokenAsync("/");
        await using (var db = portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted));
        }

        using (var closed = await PostAsync(caldera, DemoData.CalderaAssessmentId, "LEAD-01", calderaToken, ("a.pdf", Pdf)))
        {
            Assert.Single(Errors(await ProblemAsync(closed, HttpStatusCode.Conflict), "assessment"));
        }

        Assert.Equal(before, await CountAsync());
    }

    private static async Task<HttpResponseMessage> PostAsync(PortalSession session, Guid assessment, string code, string? token, params (string Name, byte[] Bytes)[] files)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "file", name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{assessment}/questions/{code}/evidence") { Content = content };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return await session.Client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)expected, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.Clone();
    }

    private static IReadOnlyList<string> Errors(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>Evidence rows, documents, versions and stored files (partial ones included) of the host.</summary>
    private async Task<(int Files, int Documents, int Versions, int OnDisk)> CountAsync()
    {
        await using var db = portal.CreateDbContext();
        var folder = Path.Combine(portal.DataDirectory, "evidence");
        var onDisk = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count() : 0;
        return (await db.EvidenceFiles.CountAsync(), await db.EvidenceDocuments.CountAsync(), await db.EvidenceVersions.CountAsync(), onDisk);
    }
}
