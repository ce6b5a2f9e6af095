using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplierAssure.Core.WorkflowStore;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>Two engine processes (two hosts) on one database file, as a scaled-out deployment runs them.</summary>
public sealed class TwoEnginesTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task RunningInstances_TwoEnginesOnOneDatabase_EachInstanceRunsExactlyOnce()
    {
        var run = Guid.NewGuid().ToString("N");
        using var first = BuildEngine();
        using var second = BuildEngine();
        await first.StartAsync();
        await second.StartAsync();

        var controller = first.Services.GetRequiredService<IWorkflowController>();
        var ids = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            ids.Add(await controller.StartWorkflow(CountingWorkflow.DefinitionId, CountingWorkflow.DefinitionVersion, new CountingData { Run = run }));
        }

        await EngineHost.WaitUntilAsync(async () => await CompletedAsync(ids) == ids.Count, "every instance completes", _logs);
        await Task.Delay(500); // let both engines poll again: a completed instance must not run a second time

        Assert.All(ids, id => Assert.Equal(1, CountingStep.Executions.GetValueOrDefault(id)));
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await first.StopAsync();
        await second.StopAsync();
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Set<PersistedLock>().CountAsync());
    }

    private IHost BuildEngine()
    {
        var host = EngineHost.Build(_database, _logs, configure: s => s.AddTransient<CountingStep>());
        host.Services.GetRequiredService<IWorkflowRegistry>().RegisterWorkflow(new CountingWorkflow());
        return host;
    }

    private async Task<int> CompletedAsync(List<string> ids)
    {
        var keys = ids.Select(Guid.Parse).ToList();
        await using var db = _database.CreateContext();
        return await db.Set<PersistedWorkflow>().CountAsync(w => keys.Contains(w.Id) && w.Status == (int)WorkflowStatus.Complete);
    }
}

public sealed class CountingData
{
    public string? Run { get; set; }
}

/// <summary>Counts how often each instance's step body runs, across every engine in the test process.</summary>
public sealed class CountingStep : StepBodyAsync
{
    public static ConcurrentDictionary<string, int> Executions { get; } = new();

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Executions.AddOrUpdate(context.Workflow.Id, 1, (_, n) => n + 1);
        // Long enough that the other engine's poll finds the instance while this one is still running it.
        await Task.Delay(150);
        return ExecutionResult.Next();
    }
}

public sealed class CountingWorkflow : IWorkflow<CountingData>
{
    public const string DefinitionId = "counting-test";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<CountingData> builder) => builder.StartWith<CountingStep>();
}
