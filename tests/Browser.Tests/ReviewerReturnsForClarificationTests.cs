using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// The review journey in Chromium: a reviewer finds the submission in the queue, asks about one answer and returns it
/// for clarification; the supplier sees the question on its answering page, replies, changes the answer and submits
/// again; the submission comes back to the reviewer, who approves it.
/// </summary>
public sealed class ReviewerReturnsForClarificationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Reviewer_ReturnsWithComment_SupplierRepliesAndResubmits_ReviewerApproves()
    {
        var id = DemoData.MeridianAssessmentId;
        var code = await ReviewForms.PlainQuestionAsync(fixture.Portal, id);
        // Arranged through the use cases (the test server's in-memory client does not reach the Kestrel host): Meridian
        // (Tier 3) answers half-way and submits; under the automatic-approval score, the workflow puts it Under review.
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var answers = (await ReviewForms.MiddlingAnswersAsync(fixture.Portal, id)).Select(a => new AnswerInput(a.Code, a.Value, null)).ToList();
            Assert.True((await new SaveAnswersHandler(db, TimeProvider.System).HandleAsync(new SaveAnswersRequest(id, Guid.Empty, answers), CancellationToken.None)).Succeeded);
            var starter = fixture.Portal.Services.GetRequiredService<IAssessmentReviewStarter>();
            Assert.True((await new SubmitAssessmentHandler(db, starter, TimeProvider.System).HandleAsync(new SubmitAssessmentRequest(id, Guid.Empty), CancellationToken.None)).Succeeded);
        }

        Assert.Equal(AssessmentState.UnderReview, (await fixture.Portal.WaitForAssessmentAsync(id, a => a.State is not (AssessmentState.Submitted or AssessmentState.InProgress))).State);

        // The reviewer: queue → review file → a comment on one answer → return for clarification.
        await using (var reviewerContext = await NewContextAsync())
        {
            var page = await SignInAsync(reviewerContext, DemoData.ProcurementUserEmail);
            await page.GotoAsync("/Reviews");
            await page.GetByRole(AriaRole.Link, new() { Name = "Review Meridian Freight Services Ltd" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Under review");
            await Assertions.Expect(page.GetByTestId($"answer-{code}")).ToHaveTextAsync("partial");
            await page.GetByTestId($"comment-text-{code}").FillAsync("Which part of the security policy is not yet signed off?");
            await page.GetByTestId($"comment-send-{code}").ClickAsync();
            await Assertions.Expect(page.GetByTestId($"comments-{code}")).ToContainTextAsync("not yet signed off");
            await page.GetByTestId("outcome-clarify").CheckAsync();
            await page.GetByLabel("Reason (needed for all but a plain approval").FillAsync("One answer needs a word of explanation.");
            await page.GetByTestId("record-decision").ClickAsync();
            await Assertions.Expect(page.GetByTestId("review-message")).ToContainTextAsync("Returned to the supplier for clarification");
            await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Returned for clarification");
        }

        // The supplier: the question is highlighted with the reviewer's comment; reply, change the answer, submit.
        await using (var supplierContext = await NewContextAsync())
        {
            var page = await SignInAsync(supplierContext, DemoData.SupplierUserEmail);
            await page.GotoAsync($"/Assessments/{id}");
            await Assertions.Expect(page.GetByTestId("clarification-banner")).ToContainTextAsync(code);
            await Assertions.Expect(page.GetByTestId($"asked-{code}")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId($"comments-{code}")).ToContainTextAsync("not yet signed off");
            await page.GetByTestId($"comment-text-{code}").FillAsync("The board signed it off last week; the answer is now yes.");
            await page.GetByTestId($"comment-send-{code}").ClickAsync();
            await Assertions.Expect(page.GetByTestId($"comments-{code}")).ToContainTextAsync("board signed it off");
            await page.Locator($"#question-{code}").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit questionnaire" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("submitted");
        }

        await fixture.Portal.WaitForAssessmentAsync(id, a => a.State == AssessmentState.UnderReview);

        // Back in the reviewer's queue with the reply and the new answer; approved.
        await using (var reviewerContext = await NewContextAsync())
        {
            var page = await SignInAsync(reviewerContext, DemoData.ProcurementUserEmail);
            await page.GotoAsync($"/Reviews?state={AssessmentState.UnderReview}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Review Meridian Freight Services Ltd" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId($"answer-{code}")).ToHaveTextAsync("yes");
            await Assertions.Expect(page.GetByTestId($"comments-{code}")).ToContainTextAsync("board signed it off");
            await page.GetByTestId("outcome-approve").CheckAsync();
            await page.GetByTestId("record-decision").ClickAsync();
            await Assertions.Expect(page.GetByTestId("assessment-state")).ToHaveTextAsync("Approved");
        }
    }

    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });

    private static async Task<IPage> SignInAsync(IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }
}
