using SupplierAssure.Workflows.Admin;
using SupplierAssure.Workflows.Deadlines;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The administrator's instance list comes in pages, newest first, that neither repeat nor skip an instance.</summary>
public sealed class WorkflowAdministrationPagingTests : IAsyncLifetime
{
    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ListPage_PagesOfFifty_NewestFirst_LastPageClamped()
    {
        // Engine off: the instances are only stored, nothing runs them.
        using var host = EngineHost.Build(_database, _logs, enabled: false);
        var controller = (IWorkflowController)host.Services.GetService(typeof(IWorkflowController))!;
        ((Hosting.WorkflowDefinitions)host.Services.GetService(typeof(Hosting.WorkflowDefinitions))!).EnsureRegistered();
        var started = new List<string>();
        for (var i = 0; i < WorkflowAdministration.PageSize + 7; i++)
        {
            started.Add(await controller.StartWorkflow(ExclusionRevalidationWorkflow.DefinitionId, ExclusionRevalidationWorkflow.DefinitionVersion,
                new ExclusionRevalidationData { SupplierId = Guid.NewGuid(), StartedAt = DateTime.UtcNow }, Guid.NewGuid().ToString("D")));
        }

        var admin = (WorkflowAdministration)host.Services.GetService(typeof(WorkflowAdministration))!;
        var first = await admin.ListPageAsync(ExclusionRevalidationWorkflow.DefinitionId, null, null, 1, CancellationToken.None);
        var second = await admin.ListPageAsync(ExclusionRevalidationWorkflow.DefinitionId, null, null, 2, CancellationToken.None);
        var beyond = await admin.ListPageAsync(ExclusionRevalidationWorkflow.DefinitionId, null, null, 9, CancellationToken.None);

        Assert.Equal((1, 2, started.Count), (first.Page, first.PageCount, first.Total));
        Assert.Equal(WorkflowAdministration.PageSize, first.Rows.Count);
        Assert.Equal(7, second.Rows.Count);
        Assert.Equal(started.Order(StringComparer.Ordinal), first.Rows.Concat(second.Rows).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.True(first.Rows.Zip(first.Rows.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));
        Assert.Equal(2, beyond.Page);
        Assert.Equal(second.Rows.Select(r => r.Id), beyond.Rows.Select(r => r.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => admin.ListPageAsync(null, null, null, 0, CancellationToken.None));
    }
}
