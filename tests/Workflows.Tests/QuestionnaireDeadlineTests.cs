using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>An issued questionnaire's timers under a moved clock: reminders before the due date, one escalation after it, across a restart.</summary>
public sealed class QuestionnaireDeadlineTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly LogSink _logs = new();

    // The first host is stopped while its engine may be mid-poll; WorkflowCore logs the cancelled work as an error
    // or its poll timer into disposed services (shutdown noise, see docs/workflows.md), so its log is checked for anything else.
    private readonly LogSink _firstLogs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void Plan_LatestPassedMomentDecides_AndNextMomentFollows()
    {
        var due = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);
        var policy = WorkflowPolicy.Default; // reminders 7 and 1 days before, escalation 1 day after
        Assert.Equal((null, due.AddDays(-7)), Pair(DeadlineNotices.Plan("k", due, policy, due.AddDays(-8))));
        Assert.Equal(("k:reminder-7d", due.AddDays(-1)), Pair(DeadlineNotices.Plan("k", due, policy, due.AddDays(-7))));
        Assert.Equal(("k:reminder-1d", due.AddDays(1)), Pair(DeadlineNotices.Plan("k", due, policy, due.AddHours(-1))));
        // Woken long after (an engine that was down): only the escalation, no stale reminders, nothing after it.
        Assert.Equal(("k:escalation", (DateTimeOffset?)null), Pair(DeadlineNotices.Plan("k", due, policy, due.AddDays(30))));
    }

    [Fact]
    public async Task IssuedQuestionnaire_RemindsThenEscalatesOnceAcrossRestart_StopsWhenSubmitted()
    {
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.DueDate, today.AddDays(10)));
        }

        var dueAt = QuestionnaireDeadlines.DueMoment(today.AddDays(10));
        string instanceId;
        using (var first = Build(_firstLogs))
        {
            await first.StartAsync();
            instanceId = await WaitForInstanceAsync();
            await WaitForSleepAsync(first, instanceId, DateTime.MinValue);
            Assert.Empty(await KeysAsync());

            _clock.Advance(dueAt.AddDays(-7) - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
            await WaitUntilAsync(async () => (await KeysAsync()).Count == 1, "the 7-day reminder");
            var reminder = await SingleAsync("reminder-7d");
            Assert.Equal(DemoData.MeridianSupplierId, reminder.AudienceSupplierId);
            Assert.Equal(instanceId, reminder.WorkflowInstanceId);
            await WaitForSleepAsync(first, instanceId, _clock.GetUtcNow().UtcDateTime);
            await first.StopAsync();
        }

        // Down over the due date; the new host wakes the stored timer and escalates once.
        _clock.Advance(TimeSpan.FromDays(9));
        using var second = Build();
        await second.StartAsync();
        await WaitUntilAsync(async () => (await KeysAsync()).Count == 2, "the escalation");
        var escalation = await SingleAsync("escalation");
        Assert.Equal(Roles.ProcurementManager, escalation.AudienceRole);
        Assert.Equal(NotificationKind.Escalation, escalation.Kind);
        _clock.Advance(TimeSpan.FromHours(2));
        await WaitForSleepAsync(second, instanceId, _clock.GetUtcNow().UtcDateTime);
        Assert.Equal(["escalation", "reminder-7d"], (await KeysAsync()).Order(StringComparer.Ordinal));

        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted));
        }

        _clock.Advance(TimeSpan.FromHours(2));
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            return await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(instanceId) && w.Status == (int)WorkflowStatus.Complete);
        }, "the watch ends once the questionnaire is submitted");
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        AssertFirstHostLoggedOnlyCancellations();
        await second.StopAsync();
    }

    private static (string? Key, DateTimeOffset? Next) Pair(DeadlinePlan plan) => (plan.Due?.Key, plan.NextMoment);

    private IHost Build(LogSink? logs = null) => EngineHost.Build(_database, logs ?? _logs, configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private void AssertFirstHostLoggedOnlyCancellations() =>
        Assert.True(_firstLogs.Errors.All(e => e.Contains("TaskCanceledException", StringComparison.Ordinal) || e.Contains("OperationCanceledException", StringComparison.Ordinal) || e.Contains("ObjectDisposedException", StringComparison.Ordinal)), _firstLogs.All);

    private async Task<string> WaitForInstanceAsync()
    {
        string? id = null;
        var reference = DemoData.MeridianAssessmentId.ToString("D");
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            id = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == QuestionnaireDeadlineWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).SingleOrDefaultAsync())?.ToString("D");
            return id is not null;
        }, "the engine starts a deadline watch for the issued questionnaire");
        return id!;
    }

    private Task WaitForSleepAsync(IHost host, string instanceId, DateTime after) =>
        WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            return instance.ExecutionPointers.Any(p => p.Active && p.SleepUntil > after);
        }, "the watch sleeps on its next timer");

    private async Task<List<string>> KeysAsync()
    {
        await using var db = _database.CreateContext();
        var prefix = $"assessment:{DemoData.MeridianAssessmentId:N}:";
        return (await db.Set<Notification>().AsNoTracking().Where(n => n.Key.StartsWith(prefix)).Select(n => n.Key).ToListAsync())
            .ConvertAll(k => k[(k.LastIndexOf(':') + 1)..]);
    }

    private async Task<Notification> SingleAsync(string occurrence)
    {
        await using var db = _database.CreateContext();
        var prefix = $"assessment:{DemoData.MeridianAssessmentId:N}:";
        return (await db.Set<Notification>().AsNoTracking().Where(n => n.Key.StartsWith(prefix)).ToListAsync()).Single(n => n.Key.EndsWith(":" + occurrence, StringComparison.Ordinal));
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) => EngineHost.WaitUntilAsync(condition, what, _logs, Patience);
}
