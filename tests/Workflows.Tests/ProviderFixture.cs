using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>A migrated database and a provider on it, with the probe workflow registered.</summary>
internal sealed class ProviderFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ProviderFixture(SqliteTestDatabase database, ServiceProvider services, EfCorePersistenceProvider provider, LogSink logs)
    {
        Database = database;
        _services = services;
        Provider = provider;
        Logs = logs;
    }

    public SqliteTestDatabase Database { get; }

    public EfCorePersistenceProvider Provider { get; }

    public LogSink Logs { get; }

    /// <summary>The registry the provider was built with (the probe workflow is registered in it).</summary>
    public IWorkflowRegistry Registry => _services.GetRequiredService<IWorkflowRegistry>();

    public static async Task<ProviderFixture> CreateAsync()
    {
        var database = await SqliteTestDatabase.CreateAsync();
        var logs = new LogSink();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs))
            .AddWorkflow()
            .BuildServiceProvider();
        var registry = services.GetRequiredService<IWorkflowRegistry>();
        registry.RegisterWorkflow(new ProbeWorkflow());
        var provider = new EfCorePersistenceProvider(
            database.Factory,
            registry,
            Options.Create(new PersistedValueTypes().Register<RegisteredPayload>("test.registered")),
            TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<EfCorePersistenceProvider>());
        return new ProviderFixture(database, services, provider, logs);
    }

    public static WorkflowInstance NewInstance(string definitionId = ProbeWorkflow.DefinitionId, int version = ProbeWorkflow.DefinitionVersion) => new()
    {
        WorkflowDefinitionId = definitionId,
        Version = version,
        Status = WorkflowStatus.Runnable,
        CreateTime = DateTime.UtcNow,
        NextExecution = 0,
        Data = new ProbeData { Name = "probe" },
        ExecutionPointers = new ExecutionPointerCollection([new ExecutionPointer { Id = Guid.NewGuid().ToString("N"), StepId = 0, Active = true, Status = PointerStatus.Pending }]),
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class ProbeData
{
    public string? Name { get; set; }
    public int Count { get; set; }
    public decimal Amount { get; set; }
    public DateTime At { get; set; }
    public List<string> Tags { get; set; } = [];
    public AssessmentState? State { get; set; }
}

/// <summary>A payload type that is deliberately not on the allow-list.</summary>
public sealed class UnlistedPayload
{
    public string? Code { get; set; }
    public int Level { get; set; }
}

/// <summary>A payload type that the fixture registers on the allow-list.</summary>
public sealed record RegisteredPayload(string FindingCode, int Grade);

public sealed class ProbeWorkflow : IWorkflow<ProbeData>
{
    public const string DefinitionId = "probe";
    public const int DefinitionVersion = 3;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<ProbeData> builder) =>
        builder.StartWith(_ => ExecutionResult.Next());
}
