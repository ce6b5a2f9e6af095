using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Exceptions;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>The persistence provider against WorkflowCore's contract, on a migrated SQLite file per test.</summary>
public sealed class EfCorePersistenceProviderTests : IAsyncLifetime
{
    private ProviderFixture _fixture = null!;

    private EfCorePersistenceProvider Provider => _fixture.Provider;

    public async Task InitializeAsync() => _fixture = await ProviderFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    // ---- workflows ----

    [Fact]
    public async Task CreateNewWorkflow_ThenGetWorkflowInstance_RoundTripsDataAndPointers()
    {
        var created = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234);
        var workflow = ProviderFixture.NewInstance();
        workflow.Description = "round trip";
        workflow.Reference = "ref-1";
        workflow.CreateTime = created;
        workflow.NextExecution = 638_000_000_000_000_000;
        workflow.Data = new ProbeData { Name = "Meridian", Count = 7, Amount = 12.5m, At = created, Tags = ["a", "b"], State = AssessmentState.UnderReview };
        var contextItem = Guid.NewGuid();
        workflow.ExecutionPointers = new ExecutionPointerCollection(
        [
            new ExecutionPointer
            {
                Id = "p1",
                StepId = 0,
                StepName = "first",
                Status = PointerStatus.Complete,
                Active = false,
                StartTime = created,
                EndTime = created.AddSeconds(1),
                RetryCount = 2,
                Children = ["p2"],
                Scope = new List<string> { "outer" },
                PersistenceData = new ControlPersistenceData { ChildrenActive = true },
                Outcome = 42,
                ContextItem = contextItem,
                EventData = new UnlistedPayload { Code = "A1", Level = 3 },
                ExtensionAttributes = new Dictionary<string, object> { ["attempt"] = 3L, ["note"] = "x", ["payload"] = new RegisteredPayload("F-1", 2) },
            },
            new ExecutionPointer
            {
                Id = "p2",
                StepId = 1,
                Status = PointerStatus.WaitingForEvent,
                Active = true,
                PredecessorId = "p1",
                SleepUntil = created.AddMinutes(5),
                EventName = "reviewed",
                EventKey = "k1",
                PersistenceData = new IteratorPersistenceData { Index = 2, ChildrenActive = true },
            },
        ]);

        var id = await Provider.CreateNewWorkflow(workflow);
        var loaded = await Provider.GetWorkflowInstance(id);

        Assert.Equal(id, workflow.Id);
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(ProbeWorkflow.DefinitionId, loaded.WorkflowDefinitionId);
        Assert.Equal(ProbeWorkflow.DefinitionVersion, loaded.Version);
        Assert.Equal("round trip", loaded.Description);
        Assert.Equal("ref-1", loaded.Reference);
        Assert.Equal(WorkflowStatus.Runnable, loaded.Status);
        Assert.Equal(638_000_000_000_000_000, loaded.NextExecution);
        Assert.Equal(created, loaded.CreateTime);
        Assert.Equal(DateTimeKind.Utc, loaded.CreateTime.Kind);
        Assert.Null(loaded.CompleteTime);

        var data = Assert.IsType<ProbeData>(loaded.Data);
        Assert.Equal("Meridian", data.Name);
        Assert.Equal(7, data.Count);
        Assert.Equal(12.5m, data.Amount);
        Assert.Equal(created, data.At);
        Assert.Equal(["a", "b"], data.Tags);
        Assert.Equal(AssessmentState.UnderReview, data.State);

        var p1 = loaded.ExecutionPointers.FindById("p1");
        Assert.Equal("first", p1.StepName);
        Assert.Equal(PointerStatus.Complete, p1.Status);
        Assert.False(p1.Active);
        Assert.Equal(created, p1.StartTime);
        Assert.Equal(created.AddSeconds(1), p1.EndTime);
        Assert.Equal(2, p1.RetryCount);
        Assert.Equal(["p2"], p1.Children);
        Assert.Equal(["outer"], p1.Scope);
        Assert.True(Assert.IsType<ControlPersistenceData>(p1.PersistenceData).ChildrenActive);
        Assert.Equal(42, Assert.IsType<int>(p1.Outcome));
        Assert.Equal(contextItem, Assert.IsType<Guid>(p1.ContextItem));
        var unlisted = Assert.IsType<JsonElement>(p1.EventData);
        Assert.Equal("A1", unlisted.GetProperty("Code").GetString());
        Assert.Equal(3, unlisted.GetProperty("Level").GetInt32());
        Assert.Equal(3L, Assert.IsType<long>(p1.ExtensionAttributes["attempt"]));
        Assert.Equal("x", p1.ExtensionAttributes["note"]);
        Assert.Equal(new RegisteredPayload("F-1", 2), p1.ExtensionAttributes["payload"]);

        var p2 = loaded.ExecutionPointers.FindById("p2");
        Assert.Equal(PointerStatus.WaitingForEvent, p2.Status);
        Assert.Equal("p1", p2.PredecessorId);
        Assert.Equal(created.AddMinutes(5), p2.SleepUntil);
        Assert.Equal("reviewed", p2.EventName);
        Assert.Equal("k1", p2.EventKey);
        var iterator = Assert.IsType<IteratorPersistenceData>(p2.PersistenceData);
        Assert.Equal(2, iterator.Index);
        Assert.True(iterator.ChildrenActive);
        Assert.Empty(p2.Children);
        Assert.NotNull(p2.ExtensionAttributes);
    }

    [Fact]
    public async Task PersistWorkflow_ChangedInstanceWithSubscriptions_StoresStateAndSubscriptionsTogether()
    {
        var id = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var workflow = await Provider.GetWorkflowInstance(id);
        var pointer = workflow.ExecutionPointers.First();
        pointer.Status = PointerStatus.WaitingForEvent;
        pointer.EventName = "decision";
        pointer.EventKey = "A-1";
        workflow.NextExecution = null;
        ((ProbeData)workflow.Data).Count = 5;
        var subscription = new EventSubscription
        {
            WorkflowId = id,
            StepId = 0,
            ExecutionPointerId = pointer.Id,
            EventName = "decision",
            EventKey = "A-1",
            SubscribeAsOf = DateTime.UtcNow,
            SubscriptionData = "context",
        };

        await Provider.PersistWorkflow(workflow, [subscription]);

        var reloaded = await Provider.GetWorkflowInstance(id);
        Assert.Null(reloaded.NextExecution);
        Assert.Equal(5, ((ProbeData)reloaded.Data).Count);
        Assert.Equal(PointerStatus.WaitingForEvent, reloaded.ExecutionPointers.First().Status);
        Assert.True(Guid.TryParse(subscription.Id, out _));
        var stored = Assert.Single(await Provider.GetSubscriptions("decision", "A-1", DateTime.UtcNow.AddSeconds(1)));
        Assert.Equal(subscription.Id, stored.Id);
        Assert.Equal(id, stored.WorkflowId);
        Assert.Equal(pointer.Id, stored.ExecutionPointerId);
        Assert.Equal("context", stored.SubscriptionData);
    }

    [Fact]
    public async Task PersistWorkflow_StaleCopy_ThrowsAndKeepsTheOtherWrite()
    {
        var id = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var first = await Provider.GetWorkflowInstance(id);
        var second = await Provider.GetWorkflowInstance(id);

        ((ProbeData)first.Data).Count = 1;
        await Provider.PersistWorkflow(first);
        ((ProbeData)second.Data).Count = 2;

        await Assert.ThrowsAsync<WorkflowConcurrencyException>(() => Provider.PersistWorkflow(second));
        Assert.Equal(1, ((ProbeData)(await Provider.GetWorkflowInstance(id)).Data).Count);

        // The copy that won keeps its place: it can be written again without reloading.
        ((ProbeData)first.Data).Count = 3;
        await Provider.PersistWorkflow(first);
        Assert.Equal(3, ((ProbeData)(await Provider.GetWorkflowInstance(id)).Data).Count);
    }

    [Fact]
    public async Task GetRunnableInstances_MixedInstances_ReturnsOnlyRunnableAndDue()
    {
        var now = DateTime.UtcNow;
        async Task<string> Create(WorkflowStatus status, DateTime? next)
        {
            var workflow = ProviderFixture.NewInstance();
            workflow.Status = status;
            workflow.NextExecution = next?.Ticks;
            return await Provider.CreateNewWorkflow(workflow);
        }

        var due = await Create(WorkflowStatus.Runnable, now.AddSeconds(-1));
        var future = await Create(WorkflowStatus.Runnable, now.AddHours(1));
        var idle = await Create(WorkflowStatus.Runnable, null);
        var complete = await Create(WorkflowStatus.Complete, now.AddSeconds(-1));
        var suspended = await Create(WorkflowStatus.Suspended, now.AddSeconds(-1));

        // WorkflowCore's poller passes local time (IDateTimeProvider.Now); the store must compare in UTC.
        var runnable = (await Provider.GetRunnableInstances(DateTime.Now)).ToList();

        Assert.Equal([due], runnable);
        Assert.DoesNotContain(future, runnable);
        Assert.DoesNotContain(idle, runnable);
        Assert.DoesNotContain(complete, runnable);
        Assert.DoesNotContain(suspended, runnable);
        Assert.Contains(future, await Provider.GetRunnableInstances(now.AddHours(2)));
    }

    [Fact]
    public async Task GetWorkflowInstances_WithFilters_ReturnsMatchingPageInCreationOrder()
    {
        var type = "filter-" + Guid.NewGuid().ToString("N");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var workflow = ProviderFixture.NewInstance(type, 1);
            workflow.CreateTime = start.AddDays(i);
            workflow.Status = i == 3 ? WorkflowStatus.Complete : WorkflowStatus.Runnable;
            ids.Add(await Provider.CreateNewWorkflow(workflow));
        }

        await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());

        var runnable = (await Provider.GetWorkflowInstances(WorkflowStatus.Runnable, type, null, null, 0, 100)).Select(w => w.Id).ToList();
        Assert.Equal([ids[0], ids[1], ids[2], ids[4]], runnable);

        var window = (await Provider.GetWorkflowInstances(null, type, start.AddDays(1), start.AddDays(3), 0, 100)).Select(w => w.Id).ToList();
        Assert.Equal([ids[1], ids[2], ids[3]], window);

        var page = (await Provider.GetWorkflowInstances(null, type, null, null, 1, 2)).Select(w => w.Id).ToList();
        Assert.Equal([ids[1], ids[2]], page);
    }

    [Fact]
    public async Task GetWorkflowInstances_ByIds_ReturnsOnlyStoredOnes()
    {
        var a = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var b = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());

        var found = (await Provider.GetWorkflowInstances([a, b, Guid.NewGuid().ToString(), "not-a-guid"])).Select(w => w.Id).ToHashSet();

        Assert.Equal(new HashSet<string> { a, b }, found);
    }

    [Fact]
    public async Task GetWorkflowInstance_UnknownId_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Provider.GetWorkflowInstance(Guid.NewGuid().ToString()));
        await Assert.ThrowsAsync<NotFoundException>(() => Provider.GetWorkflowInstance("not-a-guid"));
    }

    [Fact]
    public async Task GetWorkflowInstance_UnregisteredDefinition_ReturnsDataAsJsonElement()
    {
        var workflow = ProviderFixture.NewInstance("never-registered", 1);
        workflow.Data = new ProbeData { Name = "orphan" };
        var id = await Provider.CreateNewWorkflow(workflow);

        var loaded = await Provider.GetWorkflowInstance(id);

        Assert.Equal("orphan", Assert.IsType<JsonElement>(loaded.Data).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task StoredWorkflowRow_ContainsNoClrTypeNames()
    {
        var workflow = ProviderFixture.NewInstance();
        var pointer = workflow.ExecutionPointers.First();
        pointer.PersistenceData = new IteratorPersistenceData { Index = 1 };
        pointer.EventData = new UnlistedPayload { Code = "Z" };
        pointer.ExtensionAttributes["registered"] = new RegisteredPayload("F-2", 1);
        pointer.Outcome = AssessmentState.Approved;
        var id = await Provider.CreateNewWorkflow(workflow);

        await using var db = _fixture.Database.CreateContext();
        var row = await db.Set<PersistedWorkflow>().AsNoTracking().SingleAsync(w => w.Id == Guid.Parse(id));
        var stored = row.DataJson + row.ExecutionPointersJson;

        Assert.Contains("wfc.iterator", stored, StringComparison.Ordinal);
        Assert.Contains("test.registered", stored, StringComparison.Ordinal);
        foreach (var forbidden in new[] { "$type", "SupplierAssure.", "WorkflowCore.", "System.", "Version=", "PublicKeyToken", nameof(UnlistedPayload), nameof(RegisteredPayload), nameof(IteratorPersistenceData), nameof(ProbeData) })
        {
            Assert.DoesNotContain(forbidden, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetWorkflowInstance_StoredValueOfUnknownKind_FailsInsteadOfGuessing()
    {
        var id = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        await using (var db = _fixture.Database.CreateContext())
        {
            var key = Guid.Parse(id);
            var pointers = """[{"Id":"p","StepId":0,"Status":"Pending","Active":true,"PersistenceData":{"kind":"System.Diagnostics.Process","value":{}}}]""";
            await db.Set<PersistedWorkflow>().Where(w => w.Id == key).ExecuteUpdateAsync(s => s.SetProperty(w => w.ExecutionPointersJson, pointers));
        }

        await Assert.ThrowsAsync<JsonException>(() => Provider.GetWorkflowInstance(id));
    }

    // ---- subscriptions ----

    [Fact]
    public async Task GetSubscriptions_ByNameKeyAndAsOf_ReturnsOnlyMatchingAndTerminateRemoves()
    {
        var workflowId = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var asOf = DateTime.UtcNow;
        var match = await Subscribe(workflowId, "approved", "k1", asOf.AddMinutes(-1));
        await Subscribe(workflowId, "approved", "k2", asOf.AddMinutes(-1));
        await Subscribe(workflowId, "rejected", "k1", asOf.AddMinutes(-1));
        var later = await Subscribe(workflowId, "approved", "k1", asOf.AddMinutes(1));

        var found = (await Provider.GetSubscriptions("approved", "k1", asOf)).Select(s => s.Id).ToList();
        Assert.Equal([match], found);

        await Provider.TerminateSubscription(match);
        Assert.Null(await Provider.GetSubscription(match));
        Assert.Equal([later], (await Provider.GetSubscriptions("approved", "k1", asOf.AddMinutes(2))).Select(s => s.Id));
        Assert.Null(await Provider.GetSubscription(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task SetSubscriptionToken_HeldByAnotherWorker_ReturnsFalseUntilClearedOrExpired()
    {
        var workflowId = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var asOf = DateTime.UtcNow;
        var first = await Subscribe(workflowId, Event.EventTypeActivity, "collect-evidence", asOf.AddMinutes(-2));
        var second = await Subscribe(workflowId, Event.EventTypeActivity, "collect-evidence", asOf.AddMinutes(-1));

        Assert.Equal(first, (await Provider.GetFirstOpenSubscription(Event.EventTypeActivity, "collect-evidence", asOf))!.Id);
        Assert.True(await Provider.SetSubscriptionToken(first, "token-a", "worker-a", DateTime.UtcNow.AddMinutes(5)));
        Assert.False(await Provider.SetSubscriptionToken(first, "token-b", "worker-b", DateTime.UtcNow.AddMinutes(5)));

        var held = await Provider.GetSubscription(first);
        Assert.Equal("token-a", held!.ExternalToken);
        Assert.Equal("worker-a", held.ExternalWorkerId);
        Assert.Equal(second, (await Provider.GetFirstOpenSubscription(Event.EventTypeActivity, "collect-evidence", asOf))!.Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Provider.ClearSubscriptionToken(first, "token-b"));
        await Provider.ClearSubscriptionToken(first, "token-a");
        Assert.True(await Provider.SetSubscriptionToken(first, "token-b", "worker-b", DateTime.UtcNow.AddMilliseconds(-1)));

        // token-b's lease has already run out, so another worker may take the subscription over.
        Assert.Equal(first, (await Provider.GetFirstOpenSubscription(Event.EventTypeActivity, "collect-evidence", asOf))!.Id);
        Assert.True(await Provider.SetSubscriptionToken(first, "token-c", "worker-c", DateTime.UtcNow.AddMinutes(5)));
        Assert.Equal("token-c", (await Provider.GetSubscription(first))!.ExternalToken);
    }

    [Fact]
    public async Task SetSubscriptionToken_ConcurrentWorkers_ExactlyOneWins()
    {
        var workflowId = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var id = await Subscribe(workflowId, Event.EventTypeActivity, "race", DateTime.UtcNow.AddMinutes(-1));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Provider.SetSubscriptionToken(id, $"token-{i}", $"worker-{i}", DateTime.UtcNow.AddMinutes(5)))));

        Assert.Single(results, won => won);
    }

    // ---- events ----

    [Fact]
    public async Task CreateEvent_ThenGetEvent_RoundTripsAllowListedDataAndReadsOthersAsJson()
    {
        var time = DateTime.UtcNow.AddMinutes(-1);
        var listed = await Provider.CreateEvent(new Event { EventName = "finding-closed", EventKey = "F-1", EventTime = time, EventData = new RegisteredPayload("F-1", 3) });
        var unlisted = await Provider.CreateEvent(new Event { EventName = "finding-closed", EventKey = "F-2", EventTime = time, EventData = new UnlistedPayload { Code = "X" } });
        var activity = await Provider.CreateEvent(new Event
        {
            EventName = Event.EventTypeActivity,
            EventKey = "collect",
            EventTime = time,
            EventData = new ActivityResult { Status = ActivityResult.StatusType.Success, SubscriptionId = "s-1", Data = 12m },
        });

        var listedEvent = await Provider.GetEvent(listed);
        Assert.Equal("finding-closed", listedEvent.EventName);
        Assert.Equal("F-1", listedEvent.EventKey);
        Assert.Equal(time, listedEvent.EventTime);
        Assert.Equal(DateTimeKind.Utc, listedEvent.EventTime.Kind);
        Assert.False(listedEvent.IsProcessed);
        Assert.Equal(new RegisteredPayload("F-1", 3), listedEvent.EventData);
        Assert.Equal("X", Assert.IsType<JsonElement>((await Provider.GetEvent(unlisted)).EventData).GetProperty("Code").GetString());
        var result = Assert.IsType<ActivityResult>((await Provider.GetEvent(activity)).EventData);
        Assert.Equal("s-1", result.SubscriptionId);
        Assert.Equal(12m, Assert.IsType<decimal>(result.Data));
    }

    [Fact]
    public async Task GetRunnableEvents_HonoursTimeAndProcessedFlag()
    {
        var now = DateTime.UtcNow;
        var due = await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = now.AddSeconds(-5) });
        var future = await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = now.AddHours(1) });
        var processed = await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = now.AddSeconds(-5), IsProcessed = true });

        Assert.Equal([due], await Provider.GetRunnableEvents(DateTime.Now));

        await Provider.MarkEventProcessed(due);
        Assert.Empty(await Provider.GetRunnableEvents(DateTime.Now));
        Assert.True((await Provider.GetEvent(due)).IsProcessed);

        await Provider.MarkEventUnprocessed(processed);
        Assert.Equal([processed], await Provider.GetRunnableEvents(DateTime.Now));
        Assert.Contains(future, await Provider.GetRunnableEvents(now.AddHours(2)));
        await Assert.ThrowsAsync<NotFoundException>(() => Provider.MarkEventProcessed(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task MarkEventProcessed_SubscriptionStoredWhileTheEventWasHandled_KeepsTheEventForTheNextPoll()
    {
        // WorkflowCore's event consumer found no subscription, then a workflow reached its WaitFor and stored one
        // before the consumer marked the event processed: the event must stay open for that subscription.
        var now = DateTime.UtcNow;
        var workflowId = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var evt = await Provider.CreateEvent(new Event { EventName = "resubmitted", EventKey = "A-1", EventTime = now.AddSeconds(-1) });
        Assert.Empty(await Provider.GetSubscriptions("resubmitted", "A-1", now.AddSeconds(-1)));
        var late = await Subscribe(workflowId, "resubmitted", "A-1", now.AddMinutes(-1));

        await Provider.MarkEventProcessed(evt);
        Assert.False((await Provider.GetEvent(evt)).IsProcessed);
        Assert.Equal([evt], await Provider.GetRunnableEvents(DateTime.UtcNow));

        // A subscription that only listens from after the event, or for another key, does not hold it.
        var other = await Provider.CreateEvent(new Event { EventName = "resubmitted", EventKey = "A-2", EventTime = now.AddSeconds(-1) });
        await Subscribe(workflowId, "resubmitted", "A-2", now.AddMinutes(1));
        await Subscribe(workflowId, "resubmitted", "A-3", now.AddMinutes(-1));
        await Provider.MarkEventProcessed(other);
        Assert.True((await Provider.GetEvent(other)).IsProcessed);

        // Once the subscription has received the event (WorkflowCore terminates it), the mark goes through.
        await Provider.TerminateSubscription(late);
        await Provider.MarkEventProcessed(evt);
        Assert.True((await Provider.GetEvent(evt)).IsProcessed);

        // Activity results go to their subscription by id, so a waiting activity never holds one open.
        await Subscribe(workflowId, Event.EventTypeActivity, "collect", now.AddMinutes(-1));
        var activity = await Provider.CreateEvent(new Event { EventName = Event.EventTypeActivity, EventKey = "collect", EventTime = now, EventData = new ActivityResult { SubscriptionId = "s-9" } });
        await Provider.MarkEventProcessed(activity);
        Assert.True((await Provider.GetEvent(activity)).IsProcessed);
    }

    [Fact]
    public async Task GetEvents_ByNameKeyAndAsOf_ReturnsEventsAtOrAfterAsOf()
    {
        var asOf = DateTime.UtcNow;
        await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = asOf.AddSeconds(-1) });
        var atAsOf = await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = asOf });
        var after = await Provider.CreateEvent(new Event { EventName = "e", EventKey = "k", EventTime = asOf.AddSeconds(1) });
        await Provider.CreateEvent(new Event { EventName = "e", EventKey = "other", EventTime = asOf.AddSeconds(1) });

        Assert.Equal([atAsOf, after], await Provider.GetEvents("e", "k", asOf));
    }

    // ---- errors ----

    [Fact]
    public async Task PersistErrors_Errors_AreStoredWithTheirWorkflowAndPointer()
    {
        var workflowId = await Provider.CreateNewWorkflow(ProviderFixture.NewInstance());
        var time = DateTime.UtcNow;

        await Provider.PersistErrors(
        [
            new ExecutionError { WorkflowId = workflowId, ExecutionPointerId = "p1", ErrorTime = time, Message = "boom" },
            new ExecutionError { WorkflowId = workflowId, ExecutionPointerId = "p1", ErrorTime = time, Message = new string('x', 5000) },
        ]);
        await Provider.PersistErrors([]);

        await using var db = _fixture.Database.CreateContext();
        var rows = await db.Set<PersistedExecutionError>().AsNoTracking().Where(e => e.WorkflowId == Guid.Parse(workflowId)).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal("boom", rows[0].Message);
        Assert.Equal("p1", rows[0].ExecutionPointerId);
        Assert.Equal(4000, rows[1].Message.Length);
    }

    // ---- scheduled commands ----

    [Fact]
    public async Task ScheduleCommand_SameCommandTwice_KeepsOneRowAtTheEarlierTime()
    {
        Assert.True(Provider.SupportsScheduledCommands);
        var now = DateTime.UtcNow.Ticks;
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "wf-1", ExecuteTime = now + 1_000 });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "wf-1", ExecuteTime = now });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "wf-1", ExecuteTime = now + 5_000 });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessEvent, Data = "wf-1", ExecuteTime = now });

        await using var db = _fixture.Database.CreateContext();
        var rows = await db.Set<PersistedScheduledCommand>().AsNoTracking().OrderBy(c => c.CommandName).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal((ScheduledCommand.ProcessEvent, now), (rows[0].CommandName, rows[0].ExecuteTime));
        Assert.Equal((ScheduledCommand.ProcessWorkflow, now), (rows[1].CommandName, rows[1].ExecuteTime));
    }

    [Fact]
    public async Task ScheduleCommand_ConcurrentDuplicates_StoreOneRow()
    {
        var now = DateTime.UtcNow.Ticks;

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "wf-race", ExecuteTime = now + i }))));

        await using var db = _fixture.Database.CreateContext();
        var row = await db.Set<PersistedScheduledCommand>().AsNoTracking().SingleAsync();
        Assert.Equal(now, row.ExecuteTime);
    }

    [Fact]
    public async Task ProcessCommands_DueAndFutureCommands_RunsDueOnesOnceAndKeepsTheRest()
    {
        var now = DateTimeOffset.UtcNow;
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "due", ExecuteTime = now.AddSeconds(-1).UtcTicks });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessEvent, Data = "due-event", ExecuteTime = now.UtcTicks });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "future", ExecuteTime = now.AddMinutes(1).UtcTicks });
        var seen = new List<string>();

        await Provider.ProcessCommands(now, c => { seen.Add($"{c.CommandName}:{c.Data}"); return Task.CompletedTask; });
        await Provider.ProcessCommands(now, c => { seen.Add($"{c.CommandName}:{c.Data}"); return Task.CompletedTask; });

        Assert.Equal([$"{ScheduledCommand.ProcessWorkflow}:due", $"{ScheduledCommand.ProcessEvent}:due-event"], seen);
        await using var db = _fixture.Database.CreateContext();
        Assert.Equal("future", (await db.Set<PersistedScheduledCommand>().AsNoTracking().SingleAsync()).Data);
    }

    [Fact]
    public async Task ProcessCommands_ActionFails_KeepsThatCommandLogsAndRunsTheOthers()
    {
        var now = DateTimeOffset.UtcNow;
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "bad", ExecuteTime = now.AddSeconds(-2).UtcTicks });
        await Provider.ScheduleCommand(new ScheduledCommand { CommandName = ScheduledCommand.ProcessWorkflow, Data = "good", ExecuteTime = now.AddSeconds(-1).UtcTicks });
        var ran = new List<string>();

        await Provider.ProcessCommands(now, c => c.Data == "bad" ? throw new InvalidOperationException("queue unavailable") : Task.Run(() => ran.Add(c.Data)));

        Assert.Equal(["good"], ran);
        Assert.Contains(_fixture.Logs.Errors, e => e.Contains("bad", StringComparison.Ordinal) && e.Contains("queue unavailable", StringComparison.Ordinal));
        await using var db = _fixture.Database.CreateContext();
        Assert.Equal("bad", (await db.Set<PersistedScheduledCommand>().AsNoTracking().SingleAsync()).Data);
    }

    // ---- store ----

    [Fact]
    public async Task EnsureStoreExists_MigratedDatabase_Passes()
    {
        Provider.EnsureStoreExists();
        await using var db = _fixture.Database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task EnsureStoreExists_UnmigratedDatabase_Throws()
    {
        await using var empty = SqliteTestDatabase.CreateEmpty();
        var provider = new EfCorePersistenceProvider(
            empty.Factory,
            new WorkflowCore.Services.WorkflowRegistry(new ServiceCollection().BuildServiceProvider()),
            Options.Create(new PersistedValueTypes()),
            TimeProvider.System,
            NullLogger<EfCorePersistenceProvider>.Instance);

        var error = Assert.Throws<InvalidOperationException>(provider.EnsureStoreExists);
        Assert.Contains("migrat", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> Subscribe(string workflowId, string name, string key, DateTime asOf) =>
        await Provider.CreateEventSubscription(new EventSubscription
        {
            WorkflowId = workflowId,
            StepId = 1,
            ExecutionPointerId = Guid.NewGuid().ToString("N"),
            EventName = name,
            EventKey = key,
            SubscribeAsOf = asOf,
        });
}
