using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// The question bank pages and the score page. One host serves the class: only the import test adds a version (v2, a
/// copy of v1 with the same 168 questions, so the browsing test holds whichever version the page shows), and only
/// the score test submits a questionnaire (Meridian's, which no other test here reads).
/// </summary>
public sealed class QuestionBankPageTests(SharedPortalFixture fixture) : IClassFixture<SharedPortalFixture>
{
    private readonly PortalFactory _portal = fixture.Portal;

    [Fact]
    public async Task Get_Procurement_BrowsesAndFiltersTheBank()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        var (response, page) = await session.GetPageAsync("/QuestionBank");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("168 question(s)", page.QuerySelector("[data-testid=question-count]")!.TextContent);

        var (_, tier3Cargo) = await session.GetPageAsync("/QuestionBank?domain=Cargo&tier=Tier3Standard");
        Assert.NotNull(tier3Cargo.QuerySelector("[data-testid=question-OPS-02]"));
        Assert.Null(tier3Cargo.QuerySelector("[data-testid=question-CGO-04]")); // a Tier 2 question

        var (_, iso27001) = await session.GetPageAsync("/QuestionBank?framework=Iso27001&clause=8");
        Assert.NotNull(iso27001.QuerySelector("[data-testid=question-INF-05]"));
        Assert.Null(iso27001.QuerySelector("[data-testid=question-OPS-02]"));
    }

    [Fact]
    public async Task Get_SupplierUser_IsDenied()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var response = await session.Client.GetAsync(new Uri("/QuestionBank", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Import_InvalidFile_ListsEveryProblemByFileLineAndField()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var response = await ImportAsync(session, "bank-v2.json", "{ \"code\": \"X\", \"version\": 2,\n \"title\": \"\", \"questions\": [] }");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = PortalSession.Parse(await response.Content.ReadAsStringAsync());
        var rows = page.QuerySelectorAll("[data-testid=import-problems] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()).ToList();
        Assert.Contains(rows, r => r[0] == "bank-v2.json" && r[1] == "2" && r[2] == "$.title");
        Assert.Contains(rows, r => r[1] == "2" && r[2] == "$.questions");
    }

    [Fact]
    public async Task ImportPublishExport_NewVersion_RoundTrips()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.ProcurementUserEmail);
        using var export = await session.Client.GetAsync(new Uri(await ExportLinkAsync(session), UriKind.Relative));
        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
        var json = (await export.Content.ReadAsStringAsync()).Replace("\"version\": 1,", "\"version\": 2,", StringComparison.Ordinal);

        using var imported = await ImportAsync(session, "bank-v2.json", json);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);

        Guid draftId;
        await using (var db = _portal.CreateDbContext())
        {
            var draft = await db.QuestionnaireTemplates.SingleAsync(t => t.Version == 2);
            Assert.Equal(TemplateStatus.Draft, draft.Status);
            draftId = draft.Id;
        }

        using var published = await session.PostFormAsync($"/QuestionBank?handler=Publish&id={draftId}", new Dictionary<string, string>(), "/QuestionBank");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(TemplateStatus.Published, (await db.QuestionnaireTemplates.SingleAsync(t => t.Id == draftId)).Status);
            // Assessments issued earlier keep pointing at version 1.
            Assert.All(await db.Assessments.IgnoreQueryFilters().ToListAsync(), a => Assert.NotEqual(draftId, a.TemplateId));
        }

        using var again = await ImportAsync(session, "bank-v2-again.json", json);
        var page = PortalSession.Parse(await again.Content.ReadAsStringAsync());
        Assert.Contains("import the file as version 3", page.QuerySelector("[data-testid=import-error]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScorePage_AfterSubmission_ShowsClauseAndDomainBarsAndNotScoredBefore()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        var path = $"/Assessments/{DemoData.MeridianAssessmentId}/Score";
        var (_, before) = await session.GetPageAsync(path);
        Assert.NotNull(before.QuerySelector("[data-testid=not-scored]"));

        var form = await AssessmentForm.AllGoodAsync(_portal, DemoData.MeridianAssessmentId);
        using (var saved = await form.PostAsync(session, DemoData.MeridianAssessmentId, "Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var submitted = await new AssessmentForm().Answer("LEAD-01", "partial").PostAsync(session, DemoData.MeridianAssessmentId, "Submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        await _portal.WaitForAssessmentAsync(DemoData.MeridianAssessmentId, a => a.State != AssessmentState.Submitted);
        var (response, page) = await session.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, page.QuerySelectorAll("[data-testid^=clauses-]").Length);
        Assert.Equal(8, page.QuerySelectorAll("[data-testid^=domains-]").Length);
        Assert.Equal("100.0", page.QuerySelector("[data-testid=domains-Cargo] [data-testid=score]")!.TextContent);
        Assert.Contains("Opportunity for improvement", page.QuerySelector("[data-testid=finding-LEAD-01]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("LEAD-01", page.QuerySelector("[data-testid=clauses-5]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScorePage_OtherOrganisationsAssessment_IsNotFound()
    {
        using var session = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        using var response = await session.Client.GetAsync(new Uri($"/Assessments/{DemoData.CalderaAssessmentId}/Score", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> ExportLinkAsync(PortalSession session)
    {
        var (_, page) = await session.GetPageAsync("/QuestionBank");
        return page.QuerySelector("[data-testid=version-1] a[href*=Export]")!.GetAttribute("href")!;
    }

    private static async Task<HttpResponseMessage> ImportAsync(PortalSession session, string fileName, string json)
    {
        var token = await session.GetTokenAsync("/QuestionBank");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(json)), "file", fileName },
        };
        return await session.Client.PostAsync(new Uri("/QuestionBank?handler=Import", UriKind.Relative), content);
    }
}
