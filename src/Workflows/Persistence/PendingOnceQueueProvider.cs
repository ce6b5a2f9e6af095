using System.Collections.Concurrent;
using WorkflowCore.Interface;
using WorkflowCore.Services;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// WorkflowCore's in-process queue, holding each item at most once while it waits to be taken. With scheduled
/// commands, WorkflowCore's poller re-schedules every runnable instance and every unprocessed event on each poll,
/// without its grey list, so under a backlog the queue filled with copies and each copy cost a lock, a load and a
/// write of an instance that had already run. A copy of an item that is still waiting adds nothing: the waiting item
/// is taken later and reads the database then. An item already taken can be queued again (WorkflowCore gives it a
/// second pass when it is still running), so nothing that happens during its run is missed.
/// </summary>
public sealed class PendingOnceQueueProvider : IQueueProvider, IDisposable
{
    private readonly SingleNodeQueueProvider _inner = new();
    private readonly ConcurrentDictionary<(QueueType Queue, string Id), byte> _waiting = new();
    private int _disposed;

    public bool IsDequeueBlocking => _inner.IsDequeueBlocking;

    /// <summary>Whether the item is queued in this process and not yet taken.</summary>
    public bool IsWaiting(QueueType queue, string id) => _waiting.ContainsKey((queue, id));

    public Task QueueWork(string id, QueueType queue)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _waiting.TryAdd((queue, id), 0) ? _inner.QueueWork(id, queue) : Task.CompletedTask;
    }

    public async Task<string> DequeueWork(QueueType queue, CancellationToken cancellationToken)
    {
        var id = await _inner.DequeueWork(queue, cancellationToken);
        if (id is not null)
        {
            // Removed before the item is handed out: a QueueWork after this point queues a new copy, which is then
            // needed because the consumer may already have read the database.
            _waiting.TryRemove((queue, id), out _);
        }

        return id!;
    }

    public Task Start() => _inner.Start();

    public Task Stop() => _inner.Stop();

    /// <summary>The container disposes this once as itself and once as WorkflowCore's queue provider.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
        }
    }
}
