using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The real WorkflowCore engine on our persistence, against a migrated SQLite file with the demo data.</summary>
public sealed class AssessmentReviewEngineTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task StartAsync_SubmittedAssessment_ScoresRoutesOnceAndCompletesDurably()
    {
        var feedBefore = await StatusRowsAsync(DemoData.MeridianSupplierId);

        string instanceId;
        using (var host = EngineHost.Build(_database, _logs))
        {
            // Submitted after the engine started, as the Portal does, so the review starts through the starter
            // and not through the start-up recovery.
            await host.StartAsync();
            await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
            instanceId = await host.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            await EngineHost.WaitUntilAsync(async () => await StateAsync(DemoData.MeridianAssessmentId) != AssessmentState.Submitted, "the assessment leaves Submitted", _logs);
            await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the instance completes", _logs);
            Assert.True(_logs.Errors.Count == 0, _logs.All);
            await host.StopAsync();
        }

        await using (var db = _database.CreateContext())
        {
            var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
            Assert.Equal(AssessmentState.Approved, assessment.State);
            Assert.Equal(100m, assessment.OverallScore);
            Assert.Equal(0, assessment.CriticalGapCount);
            Assert.NotNull(assessment.ScoredAt);
            var supplier = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.MeridianSupplierId);
            Assert.Equal(AssuranceStatus.Approved, supplier.AssuranceStatus);
            Assert.Equal(100m, supplier.OverallScore);
            var change = Assert.Single((await StatusRowsAsync(DemoData.MeridianSupplierId)).Except(feedBefore));
            var row = await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Sequence == change);
            Assert.Equal(AssuranceStatus.AssessmentInProgress, row.PreviousStatus);
            Assert.Equal(AssuranceStatus.Approved, row.NewStatus);
            Assert.Equal(change, supplier.LastStatusSequence);
        }

        // A fresh engine on the same file: the instance is there, complete, with its data typed again, and
        // starting the engine again neither re-runs it nor appends to the status feed. It logs to a sink of its
        // own: WorkflowCore's poll timer of the first engine can still fire once after that engine was disposed
        // (see docs/workflows.md), and that noise is not this engine's.
        var restartedLogs = new LogSink();
        using (var restarted = EngineHost.Build(_database, restartedLogs))
        {
            await restarted.StartAsync();
            var store = restarted.Services.GetRequiredService<EfCorePersistenceProvider>();
            var instance = await store.GetWorkflowInstance(instanceId);
            Assert.Equal(WorkflowStatus.Complete, instance.Status);
            Assert.Equal(AssessmentReviewWorkflow.DefinitionId, instance.WorkflowDefinitionId);
            Assert.Equal(DemoData.MeridianAssessmentId.ToString("D"), instance.Reference);
            Assert.NotNull(instance.CompleteTime);
            var data = Assert.IsType<AssessmentReviewData>(instance.Data);
            Assert.Equal(DemoData.MeridianAssessmentId, data.AssessmentId);
            Assert.Equal(AssessmentState.Approved, data.ResultingState);
            Assert.Equal(100m, data.OverallScore);
            Assert.Equal(ReviewRoute.AutoApprove, data.Route);
            Assert.False(data.AlreadyScored);
            Assert.Equal(await LastSequenceAsync(DemoData.MeridianSupplierId), data.StatusSequence);
            Assert.Equal(AssessmentState.Approved, data.FinalState);
            Assert.Null(data.DecisionId);
            Assert.All(instance.ExecutionPointers, p => Assert.Equal(PointerStatus.Complete, p.Status));
            Assert.Single(instance.ExecutionPointers, p => p.StepName == "score-and-route");
            Assert.DoesNotContain(instance.ExecutionPointers, p => p.StepName is "wait-for-audit" or "wait-for-review-decision");

            // A finished review is not handed back: asking again (only a resubmission does) starts a new instance,
            // which finds the assessment already scored and changes nothing.
            var again = await restarted.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            Assert.NotEqual(instanceId, again);
            await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(again) == WorkflowStatus.Complete, "the second instance completes", restartedLogs);
            Assert.True(Assert.IsType<AssessmentReviewData>((await store.GetWorkflowInstance(again)).Data).AlreadyScored);
            Assert.Single((await StatusRowsAsync(DemoData.MeridianSupplierId)).Except(feedBefore));
            Assert.True(restartedLogs.Errors.Count == 0, restartedLogs.All);
            Assert.DoesNotContain("had no review workflow", restartedLogs.All, StringComparison.Ordinal);
            await restarted.StopAsync();
        }

        await using (var db = _database.CreateContext())
        {
            var stored = await db.Set<PersistedWorkflow>().AsNoTracking().SingleAsync(w => w.Id == Guid.Parse(instanceId));
            foreach (var forbidden in new[] { "$type", "SupplierAssure.", "WorkflowCore.", "System.", "Version=" })
            {
                Assert.DoesNotContain(forbidden, stored.DataJson + stored.ExecutionPointersJson, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task StartAsync_SameAssessmentTwice_ReturnsTheSameInstanceUntilItIsTerminated()
    {
        using var host = EngineHost.Build(_database, _logs, enabled: false);
        await host.StartAsync();
        var starter = host.Services.GetRequiredService<IAssessmentReviewStarter>();

        var first = await starter.StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
        var second = await starter.StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
        await using (var db = _database.CreateContext())
        {
            var key = Guid.Parse(first);
            await db.Set<PersistedWorkflow>().Where(w => w.Id == key)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, (int)WorkflowStatus.Terminated));
        }

        var third = await starter.StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_EngineDisabled_PersistsTheInstanceForAWorkerToRun()
    {
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.CalderaAssessmentId);

        string instanceId;
        using (var portal = EngineHost.Build(_database, _logs, enabled: false))
        {
            await portal.StartAsync();
            instanceId = await portal.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
            await Task.Delay(600); // several poll intervals: nothing in this process may pick the instance up
            Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
            Assert.Equal(AssessmentState.Submitted, await StateAsync(DemoData.CalderaAssessmentId));
            await portal.StopAsync();
        }

        using var worker = EngineHost.Build(_database, _logs, enabled: true);
        await worker.StartAsync();
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the worker completes the instance", _logs);
        Assert.Equal(AssessmentState.Approved, await StateAsync(DemoData.CalderaAssessmentId));
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await worker.StopAsync();
    }

    [Fact]
    public async Task HostStart_SubmittedAssessmentWithoutInstance_StartsItsReview()
    {
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);

        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();

        await EngineHost.WaitUntilAsync(async () => await StateAsync(DemoData.MeridianAssessmentId) == AssessmentState.Approved, "the orphaned submission is scored", _logs);
        await using var db = _database.CreateContext();
        var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
        Assert.NotNull(assessment.WorkflowInstanceId);
        var instance = await db.Set<PersistedWorkflow>().AsNoTracking().SingleAsync(w => w.Id == Guid.Parse(assessment.WorkflowInstanceId!));
        Assert.Equal(DemoData.MeridianAssessmentId.ToString("D"), instance.Reference);
        // The other demo assessment was never submitted and must not have been touched.
        Assert.Null((await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId)).WorkflowInstanceId);
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await host.StopAsync();
    }

    [Fact]
    public async Task ScoreAssessmentStep_RunTwice_ScoresOnceAndReportsTheSecondRunAsAlreadyScored()
    {
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
        var feedBefore = await StatusRowsAsync(DemoData.MeridianSupplierId);
        ScoreAssessmentStep NewStep() => new(_database.Factory, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ScoreAssessmentStep>.Instance)
        {
            AssessmentId = DemoData.MeridianAssessmentId,
        };
        var context = new StepExecutionContext { Workflow = new WorkflowInstance(), ExecutionPointer = new ExecutionPointer(), CancellationToken = CancellationToken.None };

        var first = NewStep();
        Assert.True((await first.RunAsync(context)).Proceed);
        var retry = NewStep();
        Assert.True((await retry.RunAsync(context)).Proceed);

        Assert.False(first.AlreadyScored);
        Assert.Equal(ReviewRoute.AutoApprove, first.Route);
        Assert.NotNull(first.StatusSequence);
        Assert.True(retry.AlreadyScored);
        Assert.Null(retry.Route);
        Assert.Equal(AssessmentState.Approved, retry.ResultingState);
        Assert.Equal(100m, retry.OverallScore);
        Assert.Single((await StatusRowsAsync(DemoData.MeridianSupplierId)).Except(feedBefore));
    }

    [Fact]
    public async Task ScoreStep_AssessmentMissing_RecordsErrorsRetriesAndCompletesOnceItExists()
    {
        var assessmentId = Guid.NewGuid();
        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();
        var instanceId = await host.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(assessmentId, CancellationToken.None);

        // Each failed attempt is stored as an execution error and the instance stays runnable, waiting to retry.
        await EngineHost.WaitUntilAsync(async () => await ErrorCountAsync(instanceId) >= 2, "two failed attempts are recorded", _logs);
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
        await using (var db = _database.CreateContext())
        {
            var message = await db.Set<PersistedExecutionError>().AsNoTracking().Where(e => e.WorkflowId == Guid.Parse(instanceId)).Select(e => e.Message).FirstAsync();
            Assert.Contains(assessmentId.ToString(), message, StringComparison.Ordinal);
            // The assessment appears already submitted, in one save, so no retry can see it half-made.
            var caldera = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId);
            var assessment = new Assessment
            {
                Id = assessmentId,
                SupplierId = caldera.SupplierId,
                TemplateId = caldera.TemplateId,
                TierAtIssue = caldera.TierAtIssue,
                DueDate = caldera.DueDate,
                IssuedAt = caldera.IssuedAt,
            };
            db.Assessments.Add(assessment);
            await DemoAssessments.AnswerAndSubmitAsync(db, assessment);
            await db.SaveChangesAsync();
        }

        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "a retry scores the assessment", _logs);
        Assert.Equal(AssessmentState.Approved, await StateAsync(assessmentId));
        var instance = await host.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
        Assert.True(instance.ExecutionPointers.Single(p => p.StepName == "score-and-route").RetryCount >= 2);
        await host.StopAsync();
    }

    [Fact]
    public void AssessmentReviewDefinition_Registered_RetriesFailedStepsAfterTheConfiguredInterval()
    {
        using var host = EngineHost.Build(_database, _logs, enabled: false);
        host.Services.GetRequiredService<Hosting.WorkflowDefinitions>().EnsureRegistered();

        var definition = host.Services.GetRequiredService<IWorkflowRegistry>().GetDefinition(AssessmentReviewWorkflow.DefinitionId, AssessmentReviewWorkflow.DefinitionVersion);

        Assert.Equal(typeof(AssessmentReviewData), definition.DataType);
        Assert.Equal(WorkflowErrorHandling.Retry, definition.DefaultErrorBehavior);
        Assert.Equal(TimeSpan.FromMilliseconds(300), definition.DefaultErrorRetryInterval);
        var step = Assert.Single(definition.Steps);
        Assert.Equal(typeof(ScoreAssessmentStep), step.BodyType);
        Assert.Equal(WorkflowErrorHandling.Retry, step.ErrorBehavior);
        Assert.Equal(TimeSpan.FromMilliseconds(300), step.RetryInterval);
    }

    private async Task<int> ErrorCountAsync(string instanceId)
    {
        await using var db = _database.CreateContext();
        var key = Guid.Parse(instanceId);
        return await db.Set<PersistedExecutionError>().AsNoTracking().CountAsync(e => e.WorkflowId == key);
    }

    [Fact]
    public async Task ScoreAssessmentStep_AssessmentChangedWhileScoring_ScoresAgainAtOnceAndOnlyOnce()
    {
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
        var feedBefore = await StatusRowsAsync(DemoData.MeridianSupplierId);
        var interference = new ConcurrentWriterOnce(DemoData.MeridianAssessmentId);
        var step = new ScoreAssessmentStep(new InterferingFactory(_database, interference), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ScoreAssessmentStep>.Instance)
        {
            AssessmentId = DemoData.MeridianAssessmentId,
        };

        var result = await step.RunAsync(new StepExecutionContext { Workflow = new WorkflowInstance(), ExecutionPointer = new ExecutionPointer(), CancellationToken = CancellationToken.None });

        Assert.True(result.Proceed);
        Assert.Equal(1, interference.Fired);
        Assert.False(step.AlreadyScored);
        Assert.Equal(AssessmentState.Approved, step.ResultingState);
        Assert.Equal(AssessmentState.Approved, await StateAsync(DemoData.MeridianAssessmentId));
        Assert.Single((await StatusRowsAsync(DemoData.MeridianSupplierId)).Except(feedBefore));
    }

    /// <summary>Moves the assessment's version on, inside the scoring transaction, the first time it is saved.</summary>
    private sealed class ConcurrentWriterOnce(Guid assessmentId) : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        public int Fired { get; private set; }

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
            Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Fired == 0 && eventData.Context is Core.Data.SupplierAssureDbContext db
                && db.ChangeTracker.Entries<Assessment>().Any(e => e.Entity.Id == assessmentId && e.State == EntityState.Modified))
            {
                Fired++;
                await db.Assessments.Where(a => a.Id == assessmentId)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
            }

            return result;
        }
    }

    private sealed class InterferingFactory(SqliteTestDatabase database, ConcurrentWriterOnce interceptor) : IDbContextFactory<Core.Data.SupplierAssureDbContext>
    {
        public Core.Data.SupplierAssureDbContext CreateDbContext()
        {
            var builder = new DbContextOptionsBuilder<Migrations.Sqlite.SqliteSupplierAssureDbContext>();
            Migrations.Sqlite.SqliteSupplierAssureDbContext.Configure(builder, database.ConnectionString);
            builder.AddInterceptors(interceptor);
            return new Migrations.Sqlite.SqliteSupplierAssureDbContext(builder.Options);
        }
    }

    private async Task<AssessmentState> StateAsync(Guid assessmentId)
    {
        await using var db = _database.CreateContext();
        return await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId).Select(a => a.State).SingleAsync();
    }

    private async Task<WorkflowStatus?> InstanceStatusAsync(string instanceId)
    {
        await using var db = _database.CreateContext();
        var key = Guid.Parse(instanceId);
        var status = await db.Set<PersistedWorkflow>().AsNoTracking().Where(w => w.Id == key).Select(w => (int?)w.Status).SingleOrDefaultAsync();
        return (WorkflowStatus?)status;
    }

    private async Task<List<long>> StatusRowsAsync(Guid supplierId)
    {
        await using var db = _database.CreateContext();
        return await db.StatusChanges.AsNoTracking().Where(c => c.SupplierId == supplierId).Select(c => c.Sequence).ToListAsync();
    }

    private async Task<long> LastSequenceAsync(Guid supplierId)
    {
        await using var db = _database.CreateContext();
        return await db.StatusChanges.AsNoTracking().Where(c => c.SupplierId == supplierId).MaxAsync(c => c.Sequence);
    }
}
