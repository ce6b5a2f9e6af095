using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A resubmission after a return for clarification is saved before its event is published; when the process dies in
/// between, the sweep publishes the event again, so the waiting review rescores the assessment once and puts it back
/// under review.
/// </summary>
public sealed class LostResubmissionTests : IAsyncLifetime
{
    private static readonly Guid Reviewer = Guid.Parse("7d2f0c3b-1a2d-4c5e-9f60-7a8b9c0000cc");
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ResubmissionSavedButNeverPublished_RestartedHostRepublishesIt_RescoredOnceAndBackUnderReview()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier2Significant));
        }

        var firstLogs = new LogSink();
        string instanceId;
        string questionCode;
        using (var first = EngineHost.Build(_database, firstLogs))
        {
            await first.StartAsync();
            await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
            instanceId = await first.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            await using (var db = _database.CreateContext())
            {
                // As SubmitAssessmentHandler records it: the resubmission below is then no orphan for the start-up recovery.
                await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.WorkflowInstanceId, instanceId));
            }

            await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, firstLogs);

            // The reviewer asks about one maturity answer and returns the assessment for clarification.
            await using (var db = _database.CreateContext())
            {
                var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
                questionCode = (await db.TemplateQuestions.AsNoTracking()
                    .Where(q => q.TemplateId == assessment.TemplateId && q.AnswerType == AnswerType.Maturity)
                    .OrderBy(q => q.Order).ToListAsync()).First(q => q.AppliesTo(assessment.TierAtIssue)).Code;
                var comment = await new AddReviewCommentHandler(db, TimeProvider.System).HandleAsync(
                    new AddReviewCommentRequest(DemoData.MeridianAssessmentId, questionCode, "How often is this checked?", Reviewer, "Reviewer", FromSupplier: false),
                    CancellationToken.None);
                Assert.True(comment.Succeeded, string.Join("; ", comment.Errors.SelectMany(e => e.Value)));
            }

            await using (var db = _database.CreateContext())
            {
                var returned = await new DecideReviewHandler(db, first.Services.GetRequiredService<IReviewSignals>(), TimeProvider.System).HandleAsync(
                    new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.ReturnForClarification, "Please clarify."), CancellationToken.None);
                Assert.True(returned.Succeeded, string.Join("; ", returned.Errors.SelectMany(e => e.Value)));
            }

            await WaitForSubscriptionAsync(ReviewEvents.Resubmitted, firstLogs);
            Assert.True(firstLogs.Errors.Count == 0, firstLogs.All);
            await first.StopAsync();
        }

        // The supplier changes the answer and resubmits: the submission commits (what SubmitAssessmentHandler saves),
        // then the process dies before the review starter publishes the resubmission.
        await using (var db = _database.CreateContext())
        {
            await db.Answers.Where(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == questionCode)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Value, "4"));
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted).SetProperty(a => a.SubmittedAt, DateTimeOffset.UtcNow));
            Assert.Empty(await db.Set<PersistedEvent>().AsNoTracking().Where(e => e.EventName == ReviewEvents.Resubmitted).ToListAsync());
        }

        var secondLogs = new LogSink();
        using (var second = EngineHost.Build(_database, secondLogs))
        {
            // Starting the engine sweeps, which finds the submitted assessment whose review still waits for it.
            await second.StartAsync();
            await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, secondLogs);
            Assert.Equal(AssessmentState.UnderReview, await StateAsync());
            var data = Assert.IsType<AssessmentReviewData>((await second.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(instanceId)).Data);
            Assert.Equal(1, data.ClarificationRounds);
            Assert.Single(secondLogs.All.Split(Environment.NewLine), l => l.Contains("Published the resubmission of assessment", StringComparison.Ordinal));

            // Sweeping again publishes nothing more: the review no longer waits for a resubmission.
            await second.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);
            Assert.True(secondLogs.Errors.Count == 0, secondLogs.All);
            await second.StopAsync();
        }

        await using (var check = _database.CreateContext())
        {
            Assert.Single(await check.Set<PersistedEvent>().AsNoTracking().Where(e => e.EventName == ReviewEvents.Resubmitted).ToListAsync());
            // One rescoring: one feed row for the changed score, one review instance.
            Assert.Single(await check.StatusChanges.AsNoTracking()
                .Where(c => c.SupplierId == DemoData.MeridianSupplierId && c.Reason.StartsWith("Resubmitted after clarification")).ToListAsync());
        }

        Assert.Single(await InstancesAsync(AssessmentReviewWorkflow.DefinitionId, DemoData.MeridianAssessmentId));
    }

    private async Task<List<string>> InstancesAsync(string definitionId, Guid reference)
    {
        await using var db = _database.CreateContext();
        var text = reference.ToString("D");
        return (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definitionId && w.Reference == text)
            .Select(w => w.Id)
            .ToListAsync()).Select(id => id.ToString("D")).ToList();
    }

    private async Task<AssessmentState> StateAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Assessments.AsNoTracking().Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.State).SingleAsync();
    }

    private Task WaitForSubscriptionAsync(string eventName, LogSink logs) =>
        EngineHost.WaitUntilAsync(
            async () =>
            {
                await using var db = _database.CreateContext();
                var key = ReviewEvents.Key(DemoData.MeridianAssessmentId);
                return await db.Set<PersistedSubscription>().AsNoTracking().AnyAsync(s => s.EventName == eventName && s.EventKey == key);
            },
            $"the review waits for {eventName}",
            logs,
            TimeSpan.FromSeconds(30));
}
