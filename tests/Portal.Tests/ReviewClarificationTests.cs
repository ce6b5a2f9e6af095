using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Reviews;
using SupplierAssure.TestSupport;
using SupplierAssure.Workflows.AssessmentReview;

namespace SupplierAssure.Portal.Tests;

/// <summary>One Portal (with its workflow engine) for the review-queue tests; each test works on its own demo supplier.</summary>
public sealed class ReviewHostFixture : IDisposable
{
    public PortalFactory Portal { get; } = new PortalFactory().With("Notifications:EmailInterval", "01:00:00");

    public void Dispose() => Portal.Dispose();
}

/// <summary>
/// The review queue end to end through the real Portal: the review file, question comments, a return for clarification
/// that the running assessment-review instance waits out, the supplier's reply and resubmission, and the decision; and
/// the same operations through /api/v1.
/// </summary>
public sealed class ReviewClarificationTests(ReviewHostFixture fixture) : IClassFixture<ReviewHostFixture>
{
    private const string ProcurementClient = "demo-procurement-system";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% seal register\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private PortalFactory Portal => fixture.Portal;

    [Fact]
    public async Task ReturnForClarification_SupplierRepliesAndResubmits_ComesBackToTheSameReviewAndIsApproved()
    {
        var id = DemoData.MeridianAssessmentId;
        using var supplier = await PortalSession.SignInAsync(Portal, DemoData.SupplierUserEmail);
        using var reviewer = await PortalSession.SignInAsync(Portal, DemoData.ProcurementUserEmail);
        using var otherSupplier = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);

        var code = await ReviewForms.PlainQuestionAsync(Portal, id);
        var form = (await ReviewForms.MiddlingAsync(Portal, id)).Attach(code, "seal-register.pdf", Pdf);
        using (var submitted = await form.PostAsync(supplier, id, "Submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        var scored = await Portal.WaitForAssessmentAsync(id, a => a.State is not (AssessmentState.Submitted or AssessmentState.InProgress or AssessmentState.Issued));
        Assert.Equal(AssessmentState.UnderReview, scored.State);
        var instanceId = scored.WorkflowInstanceId!;

        // The queue lists it with its score; the review file shows each answer with its evidence link.
        var (_, queue) = await reviewer.GetPageAsync("/Reviews");
        var row = queue.QuerySelector($"[data-testid=review-queue] tr[data-assessment='{id}']");
        Assert.NotNull(row);
        Assert.Contains(scored.OverallScore!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), row!.TextContent, StringComparison.Ordinal);
        var (_, file) = await reviewer.GetPageAsync($"/Reviews/{id}");
        Assert.NotNull(file.QuerySelector("[data-testid=score-sections]"));
        Assert.Equal("partial", file.QuerySelector($"[data-testid=answer-{code}]")!.TextContent);
        var evidenceLink = file.QuerySelector($"[data-testid=evidence-{code}] a")!.GetAttribute("href")!;
        using (var download = await reviewer.Client.GetAsync(new Uri(evidenceLink, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        }

        // Returning needs a comment on a question first; a comment needs text.
        using (var early = await reviewer.PostFormAsync($"/Reviews/{id}", new Dictionary<string, string> { ["Outcome"] = "ReturnForClarification", ["Reason"] = "Questions below." }))
        {
            var errors = PortalSession.Parse(await early.Content.ReadAsStringAsync()).QuerySelector("[data-testid=review-errors]")!.TextContent;
            Assert.Contains("Comment on at least one question first", errors, StringComparison.Ordinal);
        }

        using (var empty = await reviewer.PostFormAsync($"/Assessments/{id}/Comments", new Dictionary<string, string> { ["QuestionCode"] = code, ["Text"] = " " }))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Contains("Write the comment.", PortalSession.Parse(await empty.Content.ReadAsStringAsync()).QuerySelector("[data-testid=comment-errors]")!.TextContent, StringComparison.Ordinal);
        }

        using (var comment = await reviewer.PostFormAsync($"/Assessments/{id}/Comments", new Dictionary<string, string> { ["QuestionCode"] = code, ["Text"] = "Which sites does the seal register cover?" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, comment.StatusCode);
            Assert.Equal($"/Reviews/{id}#question-{code}", comment.Headers.Location!.OriginalString);
        }

        // The supplier cannot reply before the assessment is back with it.
        using (var tooEarly = await supplier.PostFormAsync($"/Assessments/{id}/Comments", new Dictionary<string, string> { ["QuestionCode"] = code, ["Text"] = "Early." }))
        {
            Assert.Contains("Replies are open while", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var returned = await reviewer.PostFormAsync($"/Reviews/{id}", new Dictionary<string, string> { ["Outcome"] = "ReturnForClarification", ["Reason"] = "One question to clarify." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        }

        Assert.Equal(AssessmentState.Clarification, (await StateAsync(id)).State);

        // Another organisation neither sees the thread nor can write into it.
        var (otherGet, _) = await otherSupplier.GetPageAsync($"/Assessments/{id}/Comments");
        Assert.Equal(HttpStatusCode.NotFound, otherGet.StatusCode);
        var otherToken = await otherSupplier.GetTokenAsync("/");
        using (var otherPost = await otherSupplier.Client.PostAsync(new Uri($"/Assessments/{id}/Comments", UriKind.Relative), new FormUrlEncodedContent(
                   new Dictionary<string, string> { ["__RequestVerificationToken"] = otherToken, ["QuestionCode"] = code, ["Text"] = "planted" })))
        {
            Assert.Equal(HttpStatusCode.NotFound, otherPost.StatusCode);
        }

        // The supplier's answering page highlights the question with the reviewer's comment, and takes a reply.
        var (_, answering) = await supplier.GetPageAsync($"/Assessments/{id}");
        Assert.NotNull(answering.QuerySelector($"[data-testid=clarification-banner] a[href='#question-{code}']"));
        Assert.Contains("clarify", answering.QuerySelector($"#question-{code}")!.ClassName, StringComparison.Ordinal);
        Assert.Contains("Which sites does the seal register cover?", answering.QuerySelector($"[data-testid=comments-{code}]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(answering.QuerySelector($"form#comment-form-{code}"));
        Assert.Null(answering.QuerySelector("[data-testid=asked-IMP-02]"));
        using (var reply = await supplier.PostFormAsync($"/Assessments/{id}/Comments", new Dictionary<string, string> { ["QuestionCode"] = code, ["Text"] = "All three Felixstowe docks; the register is attached again." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
            Assert.Equal($"/Assessments/{id}#question-{code}", reply.Headers.Location!.OriginalString);
        }

        var (otherAnswering, _) = await otherSupplier.GetPageAsync($"/Assessments/{id}");
        Assert.Equal(HttpStatusCode.NotFound, otherAnswering.StatusCode);

        using (var resubmitted = await new AssessmentForm().Answer(code, "yes").Attach(code, "seal-register-v2.pdf", Pdf).PostAsync(supplier, id, "Submit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, resubmitted.StatusCode);
        }

        // The same instance scores the resubmission and puts it back for the reviewer (no new routing, no new instance).
        var back = await Portal.WaitForAssessmentAsync(id, a => a.State == AssessmentState.UnderReview && a.SubmittedAt > scored.SubmittedAt);
        Assert.Equal(instanceId, back.WorkflowInstanceId);
        Assert.True(back.OverallScore > scored.OverallScore, $"rescored: {scored.OverallScore} -> {back.OverallScore}");
        var (_, again) = await reviewer.GetPageAsync($"/Reviews/{id}");
        Assert.Contains("All three Felixstowe docks", again.QuerySelector($"[data-testid=comments-{code}]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, again.QuerySelectorAll($"[data-testid=evidence-{code}] li").Length);
        Assert.Null(again.QuerySelector($"[data-testid=asked-{code}]"));
        Assert.Equal("yes", again.QuerySelector($"[data-testid=answer-{code}]")!.TextContent);

        using (var approved = await reviewer.PostFormAsync($"/Reviews/{id}", new Dictionary<string, string> { ["Outcome"] = "Approve" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        Assert.Equal(AssessmentState.Approved, (await StateAsync(id)).State);
        await Portal.WaitForWorkflowAsync(Guid.Parse(instanceId), WorkflowCore.Models.WorkflowStatus.Complete);
        await using var db = Portal.CreateDbContext();
        var instance = await db.Set<Core.WorkflowStore.PersistedWorkflow>().AsNoTracking().SingleAsync(i => i.Id == Guid.Parse(instanceId));
        Assert.Equal(AssessmentReviewWorkflowV4.DefinitionVersion, instance.DefinitionVersion);
        using var data = JsonDocument.Parse(instance.DataJson!);
        Assert.Equal(1, data.RootElement.GetProperty("ClarificationRounds").GetInt32());
        Assert.Equal("Approved", data.RootElement.GetProperty("FinalState").GetString());
        var comments = await db.Set<ReviewComment>().AsNoTracking().Where(c => c.AssessmentId == id).ToListAsync();
        Assert.Equal([false, true], comments.OrderBy(c => c.CreatedAt).Select(c => c.FromSupplier));
    }

    [Fact]
    public async Task Api_QueueFileCommentAndDecisions_WithProblemDetailsForBadInput()
    {
        var id = DemoData.CalderaAssessmentId;
        using (var supplier = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail))
        {
            using var submitted = await (await ReviewForms.MiddlingAsync(Portal, id)).Attach("LEAD-01", "policy.pdf", Pdf).PostAsync(supplier, id, "Submit");
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        Assert.Equal(AssessmentState.UnderReview, (await Portal.WaitForAssessmentAsync(id, a => a.State is not (AssessmentState.Submitted or AssessmentState.InProgress or AssessmentState.Issued))).State);
        using var read = await ClientAsync("procurement.read");
        using var write = await ClientAsync("procurement.write");

        var queue = await read.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/reviews?state=UnderReview", UriKind.Relative));
        Assert.Contains(queue.EnumerateArray(), r => r.GetProperty("assessmentId").GetGuid() == id && r.GetProperty("state").GetString() == "UnderReview");
        using (var badState = await read.GetAsync(new Uri("/api/v1/reviews?state=Approved", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
            Assert.True((await badState.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("state", out _));
        }

        var file = await read.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/reviews/{id}", UriKind.Relative));
        Assert.True(file.GetProperty("score").GetProperty("overallScore").GetDecimal() >= 0);
        var lead = file.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "LEAD-01");
        var download = lead.GetProperty("evidence")[0].GetProperty("download").GetString()!;
        using (var content = await read.GetAsync(new Uri(download, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, content.StatusCode);
            Assert.Equal(Pdf, await content.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", content.Headers.GetValues("X-Content-Type-Options").Single());
        }

        using (var missing = await read.GetAsync(new Uri($"/api/v1/reviews/{Guid.NewGuid()}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        }

        // Writes need the write scope; bad input is named field by field.
        using (var readOnly = await read.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/comments", UriKind.Relative), new { questionCode = "LEAD-01", text = "Hello" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        }

        await AssertFieldErrorAsync(await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/decision", UriKind.Relative), new { outcome = "Maybe" }), "outcome");
        await AssertFieldErrorAsync(await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/decision", UriKind.Relative), new { outcome = "ReturnForClarification", reason = "Please explain." }), "comments");
        await AssertFieldErrorAsync(await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/comments", UriKind.Relative), new { questionCode = "NOPE-99", text = "Hello" }), "questionCode");

        using (var comment = await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/comments", UriKind.Relative), new { questionCode = "LEAD-01", text = "Who signs the policy off?" }))
        {
            Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
            Assert.Equal($"client:{ProcurementClient}", (await comment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("author").GetString());
        }

        using (var returned = await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/decision", UriKind.Relative), new { outcome = "returnForClarification", reason = "One question." }))
        {
            Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
            var body = await returned.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Clarification", body.GetProperty("assessmentState").GetString());
            Assert.Equal($"client:{ProcurementClient}", body.GetProperty("client").GetString());
        }

        using (var twice = await write.PostAsJsonAsync(new Uri($"/api/v1/reviews/{id}/decision", UriKind.Relative), new { outcome = "Reject", reason = "No." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        var asked = await read.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/reviews/{id}", UriKind.Relative));
        Assert.True(asked.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "LEAD-01").GetProperty("askedToClarify").GetBoolean());
        var document = await read.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Contains("/api/v1/reviews/{assessmentId}/decision", document, StringComparison.Ordinal);
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        }
    }

    private async Task<HttpClient> ClientAsync(string scope)
    {
        var token = await Portal.GetPartnerTokenAsync(scope, ProcurementClient);
        var client = Portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<Assessment> StateAsync(Guid id)
    {
        await using var db = Portal.CreateDbContext();
        return await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id);
    }
}
