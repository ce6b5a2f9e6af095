using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The answering page. One host serves the class: every test that answers, saves or submits does so on a questionnaire
/// of its own, issued to a new supplier set up like Meridian (<see cref="SharedPortalFixture.AddQuestionnaireAsync"/>),
/// and checks "nothing saved" both for that questionnaire and against the count of all answers and files it took first.
/// </summary>
public sealed class AssessmentPageTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private readonly PortalFactory _portal = fixture.Portal;
    private static string MeridianPath => $"/Assessments/{DemoData.MeridianAssessmentId}";

    private Task<OwnQuestionnaire> OwnAsync() => fixture.AddQuestionnaireAsync("Answering Test");

    private async Task<(int Answers, int Files)> CountsAsync()
    {
        await using var db = _portal.CreateDbContext();
        return (await db.Answers.IgnoreQueryFilters().CountAsync(), await db.EvidenceFiles.IgnoreQueryFilters().CountAsync());
    }

    private int StoredFiles()
    {
        var evidenceFolder = Path.Combine(_portal.DataDirectory, "evidence");
        return Directory.Exists(evidenceFolder) ? Directory.EnumerateFiles(evidenceFolder, "*", SearchOption.AllDirectories).Count() : 0;
    }

    [Fact]
    public async Task Get_OwnAssessment_ShowsEveryQuestionBySection()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var (response, page) = await session.GetPageAsync(own.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(44, page.QuerySelectorAll("fieldset.question").Length); // the Tier 3 baseline of the question bank
        // A section heading is its name, then the section's progress ("0 of 3 required answered").
        Assert.Contains("Leadership", page.QuerySelectorAll("h2").Select(h => h.FirstChild!.TextContent.Trim()));
        Assert.Equal("Not started", page.QuerySelector("[data-testid=assessment-state]")!.TextContent);
    }

    [Theory]
    [InlineData("/Assessments/9e4f0c3b-1a2d-4c5e-9f60-7a8b9c000002")] // Caldera's questionnaire
    [InlineData("/Assessments/00000000-0000-0000-0000-000000000001")] // does not exist
    public async Task Get_OtherOrganisationsOrMissingAssessment_IsNotFound(string path)
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var (response, _) = await session.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Save_OtherOrganisationsAssessment_IsNotFoundAndChangesNothing()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        // A valid token for the own page, replayed against Caldera's id.
        var token = await session.GetTokenAsync(MeridianPath);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("LEAD-01"), "Answers[0].QuestionCode" },
            { new StringContent("no"), "Answers[0].Value" },
        };
        using var response = await session.Client.PostAsync(new Uri($"/Assessments/{DemoData.CalderaAssessmentId}?handler=Save", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Answers.AnyAsync(a => a.AssessmentId == DemoData.CalderaAssessmentId));
    }

    [Fact]
    public async Task Save_ByProcurementUser_IsForbidden()
    {
        var own = await OwnAsync();
        var before = await CountsAsync();
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await new AssessmentForm().Answer("LEAD-01", "yes").PostAsync(session, own.AssessmentId, "Save");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Answers.AnyAsync(a => a.AssessmentId == own.AssessmentId));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Save_InvalidAnswers_ShowsMessagesAndSavesNothing()
    {
        var own = await OwnAsync();
        var before = await CountsAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        using var response = await new AssessmentForm()
            .Answer("CTX-01", "yes")
            .Answer("LEAD-01", "perhaps")
            .Answer("OPS-02", "na")
            .Answer("PLAN-01", "9")
            .Answer("NOPE-99", "yes")
            .PostAsync(session, own.AssessmentId, "Save");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Choose yes, partial, no or not applicable.", page.QuerySelector("#question-LEAD-01")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Say why this does not apply to you.", page.QuerySelector("#question-OPS-02")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("maturity level from 1 to 5", page.QuerySelector("#question-PLAN-01")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("not part of the questionnaire", page.QuerySelector("[data-testid=errors]")!.TextContent, StringComparison.Ordinal);

        await using var db = _portal.CreateDbContext();
        Assert.False(await db.Answers.AnyAsync(a => a.AssessmentId == own.AssessmentId), "a valid answer in a rejected form must not be half-saved");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Save_ValidAnswersAndEvidence_PersistsBothAndServesTheFileAsAttachment()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        using var response = await new AssessmentForm()
            .Answer("OPS-02", "na", "We only ship parcels by road, never sealed units.")
            .Answer("PLAN-01", "3")
            .Attach("LEAD-01", "security policy.pdf", Pdf)
            .PostAsync(session, own.AssessmentId, "Save");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        await using var db = _portal.CreateDbContext();
        var answers = await db.Answers.Where(a => a.AssessmentId == own.AssessmentId).ToDictionaryAsync(a => a.QuestionCode);
        Assert.Equal("na", answers["OPS-02"].Value);
        Assert.Equal("We only ship parcels by road, never sealed units.", answers["OPS-02"].NotApplicableReason);
        Assert.Equal("3", answers["PLAN-01"].Value);
        Assert.Equal(AssessmentState.InProgress, (await db.Assessments.SingleAsync(a => a.Id == own.AssessmentId)).State);

        var file = await db.EvidenceFiles.SingleAsync(f => f.AssessmentId == own.AssessmentId);
        Assert.Equal("security policy.pdf", file.FileName);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), file.Sha256);
        var onDisk = Path.Combine(_portal.DataDirectory, "evidence", file.StorageKey);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(onDisk));

        var (page, document) = await session.GetPageAsync(own.Path);
        Assert.Contains("security policy.pdf", document.QuerySelector("[data-testid=evidence-LEAD-01]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Your answers are saved.", document.QuerySelector("[data-testid=notice]")!.TextContent);

        using var download = await session.Client.GetAsync(new Uri($"/evidence/{file.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());

        using var other = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);
        using var stolen = await other.Client.GetAsync(new Uri($"/evidence/{file.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
    }

    [Fact]
    public async Task Save_ExecutableDisguisedAsPdf_IsRefusedWithAMessageAndNothingStored()
    {
        var own = await OwnAsync();
        var before = await CountsAsync();
        var storedBefore = StoredFiles();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var exe = new byte[] { 0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00 };
        using var response = await new AssessmentForm().Attach("LEAD-01", "policy.pdf", exe).PostAsync(session, own.AssessmentId, "Save");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("policy.pdf: Only PDF, PNG, JPEG", page.QuerySelector("#question-LEAD-01")!.TextContent, StringComparison.Ordinal);
        await using var db = _portal.CreateDbContext();
        Assert.False(await db.EvidenceFiles.AnyAsync(f => f.AssessmentId == own.AssessmentId));
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(storedBefore, StoredFiles());
    }

    [Fact]
    public async Task Submit_Incomplete_ListsWhatIsMissingAndStaysOpen()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        using var response = await new AssessmentForm().Answer("CTX-01", "yes").PostAsync(session, own.AssessmentId, "Submit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Answer question LEAD-01 before submitting.", page.QuerySelector("#question-LEAD-01")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Answer question IMP-02", page.Body!.TextContent, StringComparison.Ordinal); // optional text question
        await using var db = _portal.CreateDbContext();
        Assert.Equal(AssessmentState.InProgress, (await db.Assessments.SingleAsync(a => a.Id == own.AssessmentId)).State);
    }

    [Fact]
    public async Task Submit_Complete_WorkflowScoresApprovesAndAppendsStatusChange()
    {
        var own = await OwnAsync();
        using var session = await PortalSession.SignInAsync(_portal, own.UserEmail);
        var form = await AssessmentForm.AllGoodAsync(_portal, own.AssessmentId);
        using var response = await form.PostAsync(session, own.AssessmentId, "Submit");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var assessment = await _portal.WaitForAssessmentAsync(own.AssessmentId, a => a.State != AssessmentState.Submitted);
        Assert.Equal(AssessmentState.Approved, assessment.State);
        Assert.Equal(98.6m, assessment.OverallScore);
        Assert.NotNull(assessment.WorkflowInstanceId);

        await using var db = _portal.CreateDbContext();
        var supplier = await db.Suppliers.SingleAsync(s => s.Id == own.SupplierId);
        Assert.Equal(AssuranceStatus.Approved, supplier.AssuranceStatus);
        var change = await db.StatusChanges.SingleAsync(c => c.SupplierId == own.SupplierId);
        Assert.Equal(AssuranceStatus.Approved, change.NewStatus);

        var (_, page) = await session.GetPageAsync(own.Path);
        Assert.Equal("Approved", page.QuerySelector("[data-testid=assessment-state]")!.TextContent);
        Assert.Equal("98.6", page.QuerySelector("[data-testid=overall-score]")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("input[type=file]"));

        // A late save after submission is refused with a message, not a 500.
        var token = await session.GetTokenAsync(own.Path);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("LEAD-01"), "Answers[0].QuestionCode" },
            { new StringContent("no"), "Answers[0].Value" },
        };
        using var late = await session.Client.PostAsync(new Uri($"{own.Path}?handler=Save", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("can no longer be changed", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
