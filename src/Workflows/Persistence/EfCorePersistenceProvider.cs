using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.WorkflowStore;
using WorkflowCore.Exceptions;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// WorkflowCore's persistence on our own database, through EF Core. Every call uses a fresh, short-lived context
/// from the factory, so the provider is safe to share between WorkflowCore's concurrent consumers.
/// </summary>
/// <remarks>
/// Payloads are System.Text.Json. Workflow data is read back into the data type of the registered definition
/// (looked up by definition id and version); execution pointers go through <see cref="PointerDocument"/>; every
/// <c>object</c>-typed value goes through the <see cref="PersistedValueTypes"/> allow-list. No CLR type name is
/// ever stored or used to choose a type.
/// </remarks>
public sealed partial class EfCorePersistenceProvider : IPersistenceProvider
{
    // Bounds one poll's work: whatever is left over is due again at the next poll, so nothing is lost.
    private const int PollBatchSize = 1000;
    private const int MaxErrorMessageLength = 4000;
    private const int MaxKeyLength = 200;

    private readonly IDbContextFactory<SupplierAssureDbContext> _contexts;
    private readonly IWorkflowRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly ILogger<EfCorePersistenceProvider> _logger;
    private readonly WorkflowJson _json;

    // The row version each loaded instance was read at, keyed by the very object WorkflowCore loads, executes and
    // persists. WorkflowInstance has no slot of its own for it; a weak table lets finished instances be collected.
    private readonly ConditionalWeakTable<WorkflowInstance, StrongBox<long>> _versions = [];

    // This process's queue: what waits in it is left out of the due lists (see GetRunnableInstances).
    private readonly PendingOnceQueueProvider? _queue;

    public EfCorePersistenceProvider(
        IDbContextFactory<SupplierAssureDbContext> contexts,
        IWorkflowRegistry registry,
        IOptions<PersistedValueTypes> valueTypes,
        TimeProvider clock,
        ILogger<EfCorePersistenceProvider> logger,
        PendingOnceQueueProvider? queue = null)
    {
        ArgumentNullException.ThrowIfNull(valueTypes);
        _contexts = contexts ?? throw new ArgumentNullException(nameof(contexts));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _json = new WorkflowJson(valueTypes.Value);
        _queue = queue;
    }

    /// <summary>Scheduled commands are stored, so WorkflowCore can hand future work to any poller instead of a timer in one process.</summary>
    public bool SupportsScheduledCommands => true;

    // ---- workflows -------------------------------------------------------------------------------------------

    public async Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var id = Guid.TryParse(workflow.Id, out var given) && given != Guid.Empty ? given : Guid.NewGuid();
        workflow.Id = id.ToString("D");
        var row = ToRow(workflow, id, rowVersion: 1);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        db.Set<PersistedWorkflow>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        _versions.AddOrUpdate(workflow, new StrongBox<long>(row.RowVersion));
        return workflow.Id;
    }

    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, subscriptions: null, cancellationToken);

    public async Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription>? subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var id = ParseId(workflow.Id) ?? throw new NotFoundException($"Workflow instance '{workflow.Id}' is not a stored instance id.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);

        long expected;
        if (_versions.TryGetValue(workflow, out var known))
        {
            expected = known.Value;
        }
        else
        {
            // An instance we did not load (built by hand by a caller): there is no read to protect, so the write
            // goes on top of whatever is stored now. WorkflowCore itself always persists instances it loaded here.
            expected = await db.Set<PersistedWorkflow>().Where(w => w.Id == id).Select(w => (long?)w.RowVersion).SingleOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException($"Workflow instance '{workflow.Id}' does not exist.");
        }

        var row = ToRow(workflow, id, expected + 1);
        var entry = db.Set<PersistedWorkflow>().Attach(row);
        entry.State = EntityState.Modified;
        entry.Property(w => w.RowVersion).OriginalValue = expected;

        var newSubscriptions = new List<(EventSubscription Source, PersistedSubscription Row)>();
        foreach (var subscription in subscriptions ?? [])
        {
            var subscriptionRow = ToRow(subscription, Guid.NewGuid());
            db.Set<PersistedSubscription>().Add(subscriptionRow);
            newSubscriptions.Add((subscription, subscriptionRow));
        }

        try
        {
            // One SaveChanges is one transaction: the instance and the subscriptions it now waits on land together.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new WorkflowConcurrencyException(
                $"Workflow instance {workflow.Id} was changed by another writer since it was read (row version {expected}); this write was refused.", ex);
        }

        foreach (var (source, subscriptionRow) in newSubscriptions)
        {
            source.Id = subscriptionRow.Id.ToString("D");
        }

        _versions.AddOrUpdate(workflow, new StrongBox<long>(row.RowVersion));
    }

    public async Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var dueTicks = StoreTime.ToUtc(asAt).Ticks;
        const int runnable = (int)WorkflowStatus.Runnable;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.Status == runnable && w.NextExecution != null && w.NextExecution <= dueTicks)
            .OrderBy(w => w.NextExecution)
            .Select(w => w.Id)
            .Take(PollBatchSize)
            .ToListAsync(cancellationToken);
        return NotWaiting(ids, QueueType.Workflow);
    }

    /// <summary>
    /// WorkflowCore's poller schedules a command for every due id on every poll, and processing the command queues the
    /// id: under a backlog that wrote and deleted a command row per waiting id several times a second. An id already
    /// waiting in this process's queue will be taken and read from the database, so it is left out; once taken it is
    /// offered again if it is still due (another process's poller sees every id as before).
    /// </summary>
    private List<string> NotWaiting(List<Guid> ids, QueueType queue)
    {
        var result = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            var text = id.ToString("D");
            if (_queue is null || !_queue.IsWaiting(queue, text))
            {
                result.Add(text);
            }
        }

        return result;
    }

    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string? type, DateTime? createdFrom, DateTime? createdTo, int skip, int take)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        IQueryable<PersistedWorkflow> query = db.Set<PersistedWorkflow>().AsNoTracking();
        if (status is { } wanted)
        {
            var statusValue = (int)wanted;
            query = query.Where(w => w.Status == statusValue);
        }

        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(w => w.WorkflowDefinitionId == type);
        }

        if (createdFrom is { } from)
        {
            var fromUtc = StoreTime.ToUtc(from);
            query = query.Where(w => w.CreateTime >= fromUtc);
        }

        if (createdTo is { } to)
        {
            var toUtc = StoreTime.ToUtc(to);
            query = query.Where(w => w.CreateTime <= toUtc);
        }

        var rows = await query.OrderBy(w => w.CreateTime).ThenBy(w => w.Id).Skip(skip).Take(take).ToListAsync();
        return rows.ConvertAll(ToInstance);
    }

    public async Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        var id = ParseId(Id) ?? throw new NotFoundException($"Workflow instance '{Id}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PersistedWorkflow>().AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Workflow instance '{Id}' does not exist.");
        return ToInstance(row);
    }

    public async Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var keys = ids.Select(ParseId).OfType<Guid>().Distinct().ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PersistedWorkflow>().AsNoTracking().Where(w => keys.Contains(w.Id)).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToInstance);
    }

    /// <summary>
    /// The oldest instance of <paramref name="definitionId"/> with <paramref name="reference"/> that is still
    /// running or suspended (neither complete nor terminated), or null. Lets a starter return the instance already running for a business key.
    /// </summary>
    public async Task<string?> FindActiveByReferenceAsync(string definitionId, string reference, CancellationToken cancellationToken)
    {
        // A finished instance does not count: an assessment returned to its supplier ends its review, and its next
        // submission needs a review of its own.
        const int terminated = (int)WorkflowStatus.Terminated;
        const int complete = (int)WorkflowStatus.Complete;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definitionId && w.Reference == reference && w.Status != terminated && w.Status != complete)
            .OrderBy(w => w.CreateTime)
            .Select(w => (Guid?)w.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return id?.ToString("D");
    }

    // ---- event subscriptions ---------------------------------------------------------------------------------

    public async Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var row = ToRow(subscription, Guid.NewGuid());
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        db.Set<PersistedSubscription>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        subscription.Id = row.Id.ToString("D");
        return subscription.Id;
    }

    public async Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var asOfUtc = StoreTime.ToUtc(asOf);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PersistedSubscription>().AsNoTracking()
            .Where(s => s.EventName == eventName && s.EventKey == eventKey && s.SubscribeAsOf <= asOfUtc)
            .OrderBy(s => s.SubscribeAsOf)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(ToSubscription);
    }

    public async Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        var id = ParseId(eventSubscriptionId) ?? throw new NotFoundException($"Event subscription '{eventSubscriptionId}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<PersistedSubscription>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<EventSubscription?> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        // WorkflowCore treats a missing subscription as "already processed", so this answers null rather than throwing.
        if (ParseId(eventSubscriptionId) is not { } id)
        {
            return null;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PersistedSubscription>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        return row is null ? null : ToSubscription(row);
    }

    public async Task<EventSubscription?> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var asOfUtc = StoreTime.ToUtc(asOf);
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        // A token whose expiry has passed no longer holds the subscription: the worker that took it is presumed gone.
        // Expiry is judged by the clock, as SetSubscriptionToken judges it, so the two never disagree.
        var row = await db.Set<PersistedSubscription>().AsNoTracking()
            .Where(s => s.EventName == eventName && s.EventKey == eventKey && s.SubscribeAsOf <= asOfUtc
                && (s.ExternalToken == null || s.ExternalTokenExpiry < now))
            .OrderBy(s => s.SubscribeAsOf)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToSubscription(row);
    }

    public async Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (ParseId(eventSubscriptionId) is not { } id)
        {
            return false;
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        var expiryUtc = StoreTime.ToUtc(expiry);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        // One conditional UPDATE is the lock: of two workers racing for the same subscription exactly one row
        // update succeeds, on SQLite and SQL Server alike, with no read-then-write window between them.
        var updated = await db.Set<PersistedSubscription>()
            .Where(s => s.Id == id && (s.ExternalToken == null || s.ExternalTokenExpiry < now))
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.ExternalToken, token)
                    .SetProperty(x => x.ExternalWorkerId, workerId)
                    .SetProperty(x => x.ExternalTokenExpiry, expiryUtc),
                cancellationToken);
        return updated == 1;
    }

    public async Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        var id = ParseId(eventSubscriptionId) ?? throw new NotFoundException($"Event subscription '{eventSubscriptionId}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var cleared = await db.Set<PersistedSubscription>()
            .Where(s => s.Id == id && s.ExternalToken == token)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.ExternalToken, (string?)null)
                    .SetProperty(x => x.ExternalWorkerId, (string?)null)
                    .SetProperty(x => x.ExternalTokenExpiry, (DateTime?)null),
                cancellationToken);
        if (cleared == 0)
        {
            // Releasing someone else's token would let two workers act on one activity at once.
            throw new InvalidOperationException($"Event subscription {eventSubscriptionId} is not held with the given token.");
        }
    }

    // ---- events ----------------------------------------------------------------------------------------------

    public async Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        var row = new PersistedEvent
        {
            Id = Guid.NewGuid(),
            EventName = CheckedKey(newEvent.EventName, nameof(newEvent.EventName)),
            EventKey = CheckedKey(newEvent.EventKey, nameof(newEvent.EventKey)),
            EventDataJson = _json.SerializeValue(newEvent.EventData),
            EventTime = StoreTime.ToUtc(newEvent.EventTime),
            IsProcessed = newEvent.IsProcessed,
        };
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        db.Set<PersistedEvent>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        newEvent.Id = row.Id.ToString("D");
        return newEvent.Id;
    }

    public async Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        var key = ParseId(id) ?? throw new NotFoundException($"Event '{id}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PersistedEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == key, cancellationToken)
            ?? throw new NotFoundException($"Event '{id}' does not exist.");
        return new Event
        {
            Id = row.Id.ToString("D"),
            EventName = row.EventName,
            EventKey = row.EventKey,
            EventData = _json.DeserializeValue(row.EventDataJson),
            EventTime = StoreTime.FromStore(row.EventTime),
            IsProcessed = row.IsProcessed,
        };
    }

    public async Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var asAtUtc = StoreTime.ToUtc(asAt);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Set<PersistedEvent>().AsNoTracking()
            .Where(e => !e.IsProcessed && e.EventTime <= asAtUtc)
            .OrderBy(e => e.EventTime)
            .Select(e => e.Id)
            .Take(PollBatchSize)
            .ToListAsync(cancellationToken);
        return NotWaiting(ids, QueueType.Event);
    }

    public async Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var asOfUtc = StoreTime.ToUtc(asOf);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Set<PersistedEvent>().AsNoTracking()
            .Where(e => e.EventName == eventName && e.EventKey == eventKey && e.EventTime >= asOfUtc)
            .OrderBy(e => e.EventTime)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        return ids.ConvertAll(id => id.ToString("D"));
    }

    /// <summary>
    /// Marks the event processed, unless a subscription that should receive it is still waiting: then the event stays
    /// unprocessed and the next poll delivers it.
    /// </summary>
    /// <remarks>
    /// WorkflowCore's event consumer reads the subscriptions, seeds each, then marks the event processed. A workflow
    /// that reaches its WaitFor in between stores its subscription, finds the event already there and marks it
    /// unprocessed, and the consumer's late mark used to override that, losing the event for good (a supplier's
    /// resubmission that never reached the waiting review, seen once in CI). The check and the mark are one UPDATE, so
    /// a subscription stored before it keeps the event open. Activity results are matched to their subscription by id,
    /// not by name and key, so the check does not apply to them.
    /// </remarks>
    public async Task MarkEventProcessed(string id, CancellationToken cancellationToken = default)
    {
        var key = ParseId(id) ?? throw new NotFoundException($"Event '{id}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var subscriptions = db.Set<PersistedSubscription>();
        var updated = await db.Set<PersistedEvent>()
            .Where(e => e.Id == key)
            .Where(e => e.EventName == Event.EventTypeActivity
                || !subscriptions.Any(s => s.EventName == e.EventName && s.EventKey == e.EventKey && s.SubscribeAsOf <= e.EventTime))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IsProcessed, true), cancellationToken);
        if (updated == 0)
        {
            if (!await db.Set<PersistedEvent>().AnyAsync(e => e.Id == key, cancellationToken))
            {
                throw new NotFoundException($"Event '{id}' does not exist.");
            }

            LogEventKeptForLateSubscription(key);
        }
    }

    public async Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default)
    {
        var key = ParseId(id) ?? throw new NotFoundException($"Event '{id}' does not exist.");
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Set<PersistedEvent>().Where(e => e.Id == key)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IsProcessed, false), cancellationToken);
        if (updated == 0)
        {
            throw new NotFoundException($"Event '{id}' does not exist.");
        }
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    public async Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var rows = new List<PersistedExecutionError>();
        foreach (var error in errors)
        {
            rows.Add(new PersistedExecutionError
            {
                // Keep the error even if its workflow id is malformed: the message is the part worth not losing.
                WorkflowId = ParseId(error.WorkflowId) ?? Guid.Empty,
                ExecutionPointerId = error.ExecutionPointerId ?? string.Empty,
                ErrorTime = StoreTime.ToUtc(error.ErrorTime),
                // The column is bounded on SQL Server; the head of a message is the part that says what went wrong.
                Message = error.Message is { Length: > MaxErrorMessageLength } long_ ? long_[..(MaxErrorMessageLength - 1)] + "…" : error.Message ?? string.Empty,
            });
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        db.Set<PersistedExecutionError>().AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
    }

    // ---- scheduled commands ----------------------------------------------------------------------------------

    public async Task ScheduleCommand(ScheduledCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = CheckedKey(command.CommandName, nameof(command.CommandName));
        var data = CheckedKey(command.Data, nameof(command.Data), maxLength: 500);
        await using var db = await _contexts.CreateDbContextAsync();
        // WorkflowCore schedules every runnable instance again on each poll; a read answers the usual repeat (a row
        // already due no later) without taking the database's write lock.
        var pending = await db.Set<PersistedScheduledCommand>().AsNoTracking()
            .Where(c => c.CommandName == name && c.Data == data)
            .Select(c => (long?)c.ExecuteTime)
            .FirstOrDefaultAsync();
        if (pending <= command.ExecuteTime)
        {
            return;
        }

        // Lower an existing row's time, or insert one. A row that another writer inserts or deletes between the read
        // and the write is handled by the other statement: one row either way, at the earliest time.
        if (pending is not null && await LowerExecuteTimeAsync(db, name, data, command.ExecuteTime) > 0)
        {
            return;
        }

        var inserted = await ConditionalInsert.InsertIfAbsentAsync<PersistedScheduledCommand>(
            db,
            [(nameof(PersistedScheduledCommand.CommandName), name), (nameof(PersistedScheduledCommand.Data), data), (nameof(PersistedScheduledCommand.ExecuteTime), command.ExecuteTime)],
            [nameof(PersistedScheduledCommand.CommandName), nameof(PersistedScheduledCommand.Data)],
            CancellationToken.None);
        if (!inserted)
        {
            await LowerExecuteTimeAsync(db, name, data, command.ExecuteTime);
        }
    }

    /// <summary>
    /// One pending command per (name, data): a repeat keeps the earlier execute time, because processing a workflow
    /// or an event early is harmless (WorkflowCore re-checks what is due) while processing it late is not.
    /// </summary>
    private static Task<int> LowerExecuteTimeAsync(SupplierAssureDbContext db, string name, string data, long executeTime) =>
        db.Set<PersistedScheduledCommand>()
            .Where(c => c.CommandName == name && c.Data == data)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExecuteTime, c => c.ExecuteTime < executeTime ? c.ExecuteTime : executeTime));

    public async Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var dueTicks = asOf.UtcTicks;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.Set<PersistedScheduledCommand>().AsNoTracking()
            .Where(c => c.ExecuteTime <= dueTicks)
            .OrderBy(c => c.ExecuteTime)
            .Take(PollBatchSize)
            .ToListAsync(cancellationToken);

        foreach (var row in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await action(new ScheduledCommand { CommandName = row.CommandName, Data = row.Data, ExecuteTime = row.ExecuteTime });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing command must not hold up the others; it stays stored and is offered again next poll.
                LogCommandFailed(ex, row.CommandName, row.Data);
                continue;
            }

            await db.Set<PersistedScheduledCommand>().Where(c => c.Id == row.Id).ExecuteDeleteAsync(cancellationToken);
        }
    }

    // ---- store -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Checks, rather than creates: the schema belongs to the EF Core migrations (one set per provider), and an
    /// engine running on a schema behind its code would fail later in harder-to-read ways.
    /// </summary>
    public void EnsureStoreExists()
    {
        using var db = _contexts.CreateDbContext();
        var pending = db.Database.GetPendingMigrations().ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The workflow store is not migrated; apply the database migrations first (pending: {string.Join(", ", pending)}).");
        }
    }

    // ---- mapping ---------------------------------------------------------------------------------------------

    private PersistedWorkflow ToRow(WorkflowInstance workflow, Guid id, long rowVersion) => new()
    {
        Id = id,
        WorkflowDefinitionId = CheckedKey(workflow.WorkflowDefinitionId, nameof(workflow.WorkflowDefinitionId)),
        DefinitionVersion = workflow.Version,
        Description = CheckedOptional(workflow.Description, nameof(workflow.Description), 500),
        Reference = CheckedOptional(workflow.Reference, nameof(workflow.Reference), MaxKeyLength),
        Status = (int)workflow.Status,
        NextExecution = workflow.NextExecution,
        CreateTime = StoreTime.ToUtc(workflow.CreateTime),
        CompleteTime = StoreTime.ToUtc(workflow.CompleteTime),
        DataJson = _json.SerializeData(workflow.Data),
        ExecutionPointersJson = System.Text.Json.JsonSerializer.Serialize(
            workflow.ExecutionPointers.Select(PointerDocument.From).ToList(), _json.Options),
        RowVersion = rowVersion,
    };

    private WorkflowInstance ToInstance(PersistedWorkflow row)
    {
        var dataType = _registry.GetDefinition(row.WorkflowDefinitionId, row.DefinitionVersion)?.DataType;
        var pointers = System.Text.Json.JsonSerializer.Deserialize<List<PointerDocument>>(row.ExecutionPointersJson, _json.Options)
            ?? throw new CorruptPersistenceDataException();
        var instance = new WorkflowInstance
        {
            Id = row.Id.ToString("D"),
            WorkflowDefinitionId = row.WorkflowDefinitionId,
            Version = row.DefinitionVersion,
            Description = row.Description,
            Reference = row.Reference,
            Status = (WorkflowStatus)row.Status,
            NextExecution = row.NextExecution,
            CreateTime = StoreTime.FromStore(row.CreateTime),
            CompleteTime = StoreTime.FromStore(row.CompleteTime),
            Data = _json.DeserializeData(row.DataJson, dataType),
            ExecutionPointers = new ExecutionPointerCollection(pointers.ConvertAll(p => p.ToPointer())),
        };
        _versions.AddOrUpdate(instance, new StrongBox<long>(row.RowVersion));
        return instance;
    }

    private PersistedSubscription ToRow(EventSubscription subscription, Guid id) => new()
    {
        Id = id,
        WorkflowId = ParseId(subscription.WorkflowId) ?? throw new ArgumentException("The subscription's workflow id is not a stored instance id.", nameof(subscription)),
        StepId = subscription.StepId,
        ExecutionPointerId = subscription.ExecutionPointerId ?? string.Empty,
        EventName = CheckedKey(subscription.EventName, nameof(subscription.EventName)),
        EventKey = CheckedKey(subscription.EventKey, nameof(subscription.EventKey)),
        SubscribeAsOf = StoreTime.ToUtc(subscription.SubscribeAsOf),
        SubscriptionDataJson = _json.SerializeValue(subscription.SubscriptionData),
        ExternalToken = subscription.ExternalToken,
        ExternalWorkerId = subscription.ExternalWorkerId,
        ExternalTokenExpiry = StoreTime.ToUtc(subscription.ExternalTokenExpiry),
    };

    private EventSubscription ToSubscription(PersistedSubscription row) => new()
    {
        Id = row.Id.ToString("D"),
        WorkflowId = row.WorkflowId.ToString("D"),
        StepId = row.StepId,
        ExecutionPointerId = row.ExecutionPointerId,
        EventName = row.EventName,
        EventKey = row.EventKey,
        SubscribeAsOf = StoreTime.FromStore(row.SubscribeAsOf),
        SubscriptionData = _json.DeserializeValue(row.SubscriptionDataJson),
        ExternalToken = row.ExternalToken,
        ExternalWorkerId = row.ExternalWorkerId,
        ExternalTokenExpiry = StoreTime.FromStore(row.ExternalTokenExpiry),
    };

    private static Guid? ParseId(string? id) => Guid.TryParse(id, out var parsed) ? parsed : null;

    /// <summary>Enforces the column bounds here so SQLite (which ignores them) fails the same way SQL Server would.</summary>
    private static string CheckedKey(string? value, string name, int maxLength = MaxKeyLength)
    {
        var text = value ?? string.Empty;
        return text.Length <= maxLength ? text : throw new ArgumentException($"{name} is longer than {maxLength} characters.", name);
    }

    private static string? CheckedOptional(string? value, string name, int maxLength) =>
        value is null ? null : CheckedKey(value, name, maxLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled workflow command {CommandName} for {Data} failed; it stays scheduled and is retried at the next poll.")]
    private partial void LogCommandFailed(Exception exception, string commandName, string data);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} stays unprocessed: a subscription stored while it was being handled waits for it; the next poll delivers it.")]
    private partial void LogEventKeptForLateSubscription(Guid eventId);
}
