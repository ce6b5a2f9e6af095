using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Remediation;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Reviews and remediation cases start once per assessment and per case when two processes on one database start
/// them at the same instant (the start goes through the database start lock, not only an in-process gate).
/// </summary>
public sealed class ReviewStartsAcrossProcessesTests : IAsyncLifetime
{
    private static readonly Guid[] Assessments =
        [DemoData.MeridianAssessmentId, DemoData.CalderaAssessmentId, DemoData.NorthgateAssessmentId, DemoData.OakridgeAssessmentId];

    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ReviewAndRemediationStarts_TwoProcessesAtTheSameInstant_OneInstancePerAssessmentAndCase()
    {
        var cases = await OpenCasesWithoutWorkflowAsync(DemoData.MeridianAssessmentId, 8);
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => Assessments.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted).SetProperty(a => a.SubmittedAt, DateTimeOffset.UtcNow));
        }

        // Two processes on one database, engines off so that nothing but these calls starts anything. For each
        // assessment both ask for its review at the same instant (a submission here, the start-up recovery there), and
        // for each case both ask for its workflow (the review's step here, the audit's closing meeting there).
        using var one = EngineHost.Build(_database, _logs, enabled: false);
        using var two = EngineHost.Build(_database, _logs, enabled: false);
        IHost[] processes = [one, two];
        foreach (var assessmentId in Assessments)
        {
            var started = await RaceAsync(processes, h => h.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(assessmentId, CancellationToken.None));
            var instance = Assert.Single(await InstancesAsync(AssessmentReviewWorkflow.DefinitionId, assessmentId));
            Assert.All(started, id => Assert.Equal(instance, id));
        }

        foreach (var caseId in cases)
        {
            var started = await RaceAsync(processes, h => h.Services.GetRequiredService<WorkflowRemediationStarter>().StartAsync(caseId, CancellationToken.None));
            var instance = Assert.Single(await InstancesAsync(RemediationWorkflow.DefinitionId, caseId));
            Assert.All(started, id => Assert.Equal(instance, id));
            await using var db = _database.CreateContext();
            Assert.Equal(instance, await db.Set<RemediationCase>().Where(r => r.Id == caseId).Select(r => r.WorkflowInstanceId).SingleAsync());
        }

        // The sweep afterwards (the backstop) starts no second remediation either.
        await one.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);
        foreach (var caseId in cases)
        {
            Assert.Single(await InstancesAsync(RemediationWorkflow.DefinitionId, caseId));
        }

        Assert.True(_logs.Errors.Count == 0, _logs.All);
    }

    /// <summary>Runs <paramref name="start"/> in every process at one instant, each on its own thread.</summary>
    private static async Task<string[]> RaceAsync(IHost[] processes, Func<IHost, Task<string>> start)
    {
        using var barrier = new Barrier(processes.Length);
        return await Task.WhenAll(processes.Select(host => Task.Factory.StartNew(
            () =>
            {
                barrier.SignalAndWait();
                return start(host);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()));
    }

    /// <summary>Open major findings on the assessment, each with a remediation case and no workflow yet.</summary>
    private async Task<List<Guid>> OpenCasesWithoutWorkflowAsync(Guid assessmentId, int count)
    {
        await using var db = _database.CreateContext();
        var supplierId = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.SupplierId).SingleAsync();
        var policy = await new WorkflowPolicyStore(db, TimeProvider.System).CurrentAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var finding = new AssessmentFinding
            {
                Id = Guid.NewGuid(),
                SupplierId = supplierId,
                AssessmentId = assessmentId,
                Source = FindingSource.Audit,
                Grade = NonconformityGrade.MajorNonconformity,
                Reference = "8",
                Summary = $"Gate log gap {i}.",
                RaisedAt = now,
            };
            db.Set<AssessmentFinding>().Add(finding);
            var remediation = RemediationCase.OpenFor(finding, policy, Guid.NewGuid(), now);
            db.Set<RemediationCase>().Add(remediation);
            ids.Add(remediation.Id);
        }

        await db.SaveChangesAsync();
        return ids;
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
}
