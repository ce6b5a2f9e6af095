using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Hosting;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A watch asleep on its hourly check is made due by <see cref="InstanceWaker"/> and runs at the engine's next poll
/// (100 ms here), with the clock standing still: people's changes do not wait for the timer.
/// </summary>
public sealed class InstanceWakerTests : IAsyncLifetime
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
    public async Task SleepingWatch_WokenAfterAChange_RunsWithinASecond_NotAtItsTimer()
    {
        using var host = EngineHost.Build(_database, _logs, configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));
        await host.StartAsync();
        var reference = DemoData.MeridianAssessmentId.ToString("D");
        var store = host.Services.GetRequiredService<Persistence.EfCorePersistenceProvider>();
        string? instanceId = null;
        await EngineHost.WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            instanceId = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == QuestionnaireDeadlineWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).SingleOrDefaultAsync())?.ToString("D");
            return instanceId is not null && (await store.GetWorkflowInstance(instanceId)).ExecutionPointers.Any(p => p.Active && p.SleepUntil > _clock.GetUtcNow().UtcDateTime);
        }, "the questionnaire watch sleeps on its timer", _logs);
        var sleepUntil = (await store.GetWorkflowInstance(instanceId!)).ExecutionPointers.Single(p => p.Active).SleepUntil!.Value;
        Assert.True(sleepUntil - _clock.GetUtcNow().UtcDateTime >= TimeSpan.FromMinutes(59), $"asleep until {sleepUntil:O}");

        // The supplier submits; without a wake the watch would notice only at its timer, an hour of clock away.
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // five polls
        Assert.Equal(WorkflowStatus.Runnable, (await store.GetWorkflowInstance(instanceId!)).Status);

        var watch = Stopwatch.StartNew();
        Assert.True(await host.Services.GetRequiredService<InstanceWaker>().WakeAsync(instanceId!, CancellationToken.None));
        await EngineHost.WaitUntilAsync(async () => (await store.GetWorkflowInstance(instanceId!)).Status == WorkflowStatus.Complete,
            "the woken watch runs and ends", _logs, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        await host.StopAsync();
    }
}
