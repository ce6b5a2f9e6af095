using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The engine's queue holds a waiting item once, and the due lists leave out what already waits in it.</summary>
public sealed class PendingOnceQueueTests : IAsyncLifetime
{
    private ProviderFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await ProviderFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task QueueWork_ItemStillWaiting_IsTakenOnce_AndCanBeQueuedAgainOnceTaken()
    {
        using var queue = new PendingOnceQueueProvider();
        await queue.QueueWork("wf-1", QueueType.Workflow);
        await queue.QueueWork("wf-1", QueueType.Workflow);
        await queue.QueueWork("wf-2", QueueType.Workflow);
        await queue.QueueWork("wf-1", QueueType.Event);

        Assert.True(queue.IsWaiting(QueueType.Workflow, "wf-1"));
        Assert.Equal("wf-1", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.False(queue.IsWaiting(QueueType.Workflow, "wf-1"));
        Assert.Equal("wf-2", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.Null(await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        // Another queue is its own: the event with the same id still waits.
        Assert.Equal("wf-1", await queue.DequeueWork(QueueType.Event, CancellationToken.None));

        // Taken items may be queued again (a change during their run needs another pass).
        await queue.QueueWork("wf-1", QueueType.Workflow);
        Assert.Equal("wf-1", await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
    }

    [Fact]
    public async Task GetRunnableInstancesAndEvents_ItemWaitingInTheQueue_LeftOutUntilTaken()
    {
        using var queue = new PendingOnceQueueProvider();
        var provider = new EfCorePersistenceProvider(
            _fixture.Database.Factory,
            _fixture.Registry,
            Options.Create(new PersistedValueTypes()),
            TimeProvider.System,
            NullLogger<EfCorePersistenceProvider>.Instance,
            queue);
        var waiting = await provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var other = await provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var evt = await provider.CreateEvent(new Event { EventName = "decision", EventKey = "A-1", EventTime = DateTime.UtcNow.AddSeconds(-1), EventData = "x" });

        await queue.QueueWork(waiting, QueueType.Workflow);
        await queue.QueueWork(evt, QueueType.Event);
        var due = (await provider.GetRunnableInstances(DateTime.Now.AddSeconds(1))).ToList();
        Assert.Contains(other, due);
        Assert.DoesNotContain(waiting, due);
        Assert.Empty(await provider.GetRunnableEvents(DateTime.Now.AddSeconds(1)));

        Assert.Equal(waiting, await queue.DequeueWork(QueueType.Workflow, CancellationToken.None));
        Assert.Equal(evt, await queue.DequeueWork(QueueType.Event, CancellationToken.None));
        Assert.Contains(waiting, await provider.GetRunnableInstances(DateTime.Now.AddSeconds(1)));
        Assert.Contains(evt, await provider.GetRunnableEvents(DateTime.Now.AddSeconds(1)));
    }
}
