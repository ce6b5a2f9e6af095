using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Hosting;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// The periodic sweep (not only an engine start) recovers a submission whose review never started and a decision that
/// never reached its workflow, once they are older than <see cref="DeadlineSweeper.RecoveryGrace"/>: in a deployment of
/// several processes, the one that crashed may not come back, and the others do not restart.
/// </summary>
public sealed class SweepRecoveryTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task PeriodicSweep_SubmissionWithoutReviewAndUnsignalledDecision_RecoveredOnceAfterTheGrace()
    {
        // Committed by requests whose process then died: a submission (no review started, no instance id) and a
        // decision on another assessment (never signalled).
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
        var decision = new ReviewDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = DemoData.CalderaSupplierId,
            AssessmentId = DemoData.CalderaAssessmentId,
            Outcome = ReviewOutcome.Reject,
            Reason = "Seal records missing.",
            DecidedBy = Guid.NewGuid(),
            DecidedAt = _clock.GetUtcNow(),
        };
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.SubmittedAt, _clock.GetUtcNow()));
            db.Set<ReviewDecision>().Add(decision);
            await db.SaveChangesAsync();
        }

        // A process whose engine runs elsewhere is enough: the sweep is called as its timer would call it.
        using var host = EngineHost.Build(_database, _logs, enabled: false, s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));
        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();

        // Within the grace the requests may still be about to do it themselves: nothing is touched.
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Empty(await ReviewInstancesAsync());
        Assert.Null(await SignalledAtAsync(decision.Id));

        _clock.Advance(DeadlineSweeper.RecoveryGrace + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(CancellationToken.None);
        var instance = Assert.Single(await ReviewInstancesAsync());
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(instance.ToString("D"), await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.WorkflowInstanceId).SingleAsync());
        }

        Assert.NotNull(await SignalledAtAsync(decision.Id));
        Assert.Single(await DecisionEventsAsync());

        // The next sweep finds nothing left: still one review, one decision event.
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Single(await ReviewInstancesAsync());
        Assert.Single(await DecisionEventsAsync());
        Assert.True(_logs.Errors.Count == 0, _logs.All);
    }

    [Fact]
    public async Task PeriodicSweep_ResubmissionWhoseReviewEndedWithoutIt_GetsANewReviewButARunningOneIsLeftAlone()
    {
        // Meridian was returned and resubmitted while its review was still finishing: the submission found that review
        // running, which then ended without scoring it. Caldera's submission has its review running, as it should.
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.CalderaAssessmentId);
        var ended = Review(DemoData.MeridianAssessmentId, WorkflowCore.Models.WorkflowStatus.Complete);
        var running = Review(DemoData.CalderaAssessmentId, WorkflowCore.Models.WorkflowStatus.Runnable);
        await using (var db = _database.CreateContext())
        {
            db.Set<PersistedWorkflow>().AddRange(ended, running);
            await db.SaveChangesAsync();
            foreach (var (assessmentId, review) in new[] { (DemoData.MeridianAssessmentId, ended), (DemoData.CalderaAssessmentId, running) })
            {
                await db.Assessments.Where(a => a.Id == assessmentId).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.SubmittedAt, _clock.GetUtcNow())
                    .SetProperty(a => a.WorkflowInstanceId, review.Id.ToString("D")));
            }
        }

        using var host = EngineHost.Build(_database, _logs, enabled: false, s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));
        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal([ended.Id], await ReviewInstancesAsync());

        _clock.Advance(DeadlineSweeper.RecoveryGrace + TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(CancellationToken.None);
        var started = Assert.Single(await ReviewInstancesAsync(), id => id != ended.Id);
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(2, (await ReviewInstancesAsync()).Count);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(started.ToString("D"), await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).Select(a => a.WorkflowInstanceId).SingleAsync());
            var calderaReference = DemoData.CalderaAssessmentId.ToString("D");
            Assert.Equal([running.Id], await db.Set<PersistedWorkflow>().Where(w => w.Reference == calderaReference).Select(w => w.Id).ToListAsync());
        }

        Assert.True(_logs.Errors.Count == 0, _logs.All);
    }

    private PersistedWorkflow Review(Guid assessmentId, WorkflowCore.Models.WorkflowStatus status) => new()
    {
        Id = Guid.NewGuid(),
        WorkflowDefinitionId = AssessmentReviewWorkflow.DefinitionId,
        DefinitionVersion = AssessmentReviewWorkflowV4.DefinitionVersion,
        Reference = assessmentId.ToString("D"),
        Status = (int)status,
        CreateTime = _clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
        CompleteTime = status == WorkflowCore.Models.WorkflowStatus.Complete ? _clock.GetUtcNow().UtcDateTime : null,
        ExecutionPointersJson = "[]",
    };

    private async Task<List<Guid>> ReviewInstancesAsync()
    {
        await using var db = _database.CreateContext();
        var reference = DemoData.MeridianAssessmentId.ToString("D");
        return await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == AssessmentReviewWorkflow.DefinitionId && w.Reference == reference)
            .Select(w => w.Id)
            .ToListAsync();
    }

    private async Task<DateTimeOffset?> SignalledAtAsync(Guid decisionId)
    {
        await using var db = _database.CreateContext();
        return await db.Set<ReviewDecision>().Where(d => d.Id == decisionId).Select(d => d.SignalledAt).SingleAsync();
    }

    private async Task<List<PersistedEvent>> DecisionEventsAsync()
    {
        await using var db = _database.CreateContext();
        var key = ReviewEvents.Key(DemoData.CalderaAssessmentId);
        return await db.Set<PersistedEvent>().AsNoTracking().Where(e => e.EventName == ReviewEvents.ReviewDecided && e.EventKey == key).ToListAsync();
    }
}
