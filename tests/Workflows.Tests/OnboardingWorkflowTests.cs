using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Deadlines;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Onboarding;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Onboarding;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A newly invited supplier's onboarding: waits for its sign-up, then for the tier (the tiering use case's event),
/// then for the questionnaire (the issue use case's event), then reminds before the due date and escalates to
/// procurement after it, across a restart.
/// </summary>
public sealed class OnboardingWorkflowTests : IAsyncLifetime
{
    private static readonly Guid SupplierId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a0000aa");
    private readonly LogSink _logs = new();
    private readonly LogSink _firstLogs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
        await using var db = _database.CreateContext();
        db.Suppliers.Add(new Supplier { Id = SupplierId, LegalName = "Harbourline Freight BV", CountryCode = "NL", Lifecycle = SupplierLifecycle.Invited });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task InvitedSupplier_SignUpTierQuestionnaire_ThenRemindedAndEscalatedOnce()
    {
        string instanceId;
        DateOnly due;
        using (var first = Build(_firstLogs))
        {
            await first.StartAsync();
            instanceId = await InstanceAsync();
            await WaitForStepAsync(first, instanceId, "sign-up", sleeping: true);

            // The contact accepts the invitation: the sign-up wait sees it at its next look.
            var userId = Guid.NewGuid();
            await using (var db = _database.CreateContext())
            {
                db.Users.Add(new ApplicationUser { Id = userId, UserName = "ops@harbourline.example", Email = "ops@harbourline.example", EmailConfirmed = true, SupplierId = SupplierId });
                db.Set<Invitation>().Add(new Invitation
                {
                    Id = Guid.NewGuid(), SupplierId = SupplierId, Email = "ops@harbourline.example", Role = Roles.SupplierAdmin, TokenHash = new string('a', 64),
                    CreatedAt = _clock.GetUtcNow(), ExpiresAt = _clock.GetUtcNow().AddDays(7), AcceptedAt = _clock.GetUtcNow(), AcceptedUserId = userId,
                });
                await db.SaveChangesAsync();
            }

            _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
            await WaitForStepAsync(first, instanceId, "wait-for-tier", sleeping: false);

            // Procurement decides the tier through the tiering use case, which publishes the event.
            var signals = first.Services.GetRequiredService<IOnboardingSignals>();
            await using (var db = _database.CreateContext())
            {
                var decided = await new ClassifySupplierHandler(db, _clock, signals).OverrideAsync(
                    new OverrideTierRequest(SupplierId, SupplierTier.Tier3Standard, "Regional carrier of low-value goods only.", null), CancellationToken.None);
                Assert.True(decided.Succeeded);
            }

            await WaitForStepAsync(first, instanceId, "wait-for-questionnaire", sleeping: false);

            // Procurement issues the questionnaire through the issue use case, which publishes the event.
            due = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(20);
            await using (var db = _database.CreateContext())
            {
                var handler = new IssueQuestionnaireHandler(db, _clock, signals);
                var template = (await handler.TemplatesForAsync(SupplierTier.Tier3Standard, CancellationToken.None))[0];
                var issued = await handler.IssueAsync(new IssueQuestionnaireRequest(SupplierId, template.Id, due, [userId]), CancellationToken.None);
                Assert.True(issued.Succeeded, string.Join("; ", issued.Errors?.SelectMany(e => e.Value) ?? []));
            }

            await WaitForStepAsync(first, instanceId, "answers-due", sleeping: true);
            await first.StopAsync();
        }

        var dueAt = QuestionnaireDeadlines.DueMoment(due);
        _clock.Advance(dueAt.AddDays(-7) - _clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        using (var second = Build())
        {
            await second.StartAsync();
            await WaitUntilAsync(async () => (await KeysAsync()).Any(k => k.EndsWith(":reminder-7d", StringComparison.Ordinal)), "the 7-day reminder");
            _clock.Advance(TimeSpan.FromDays(9));
            await WaitUntilAsync(async () => (await KeysAsync()).Any(k => k.EndsWith(":escalation", StringComparison.Ordinal)), "the escalation to procurement");
            await second.StopAsync();
        }

        var keys = await KeysAsync();
        Assert.Equal(2, keys.Count); // one reminder, one escalation, though two watches (onboarding and the sweep's) look at it
        await using (var db = _database.CreateContext())
        {
            var escalation = await db.Set<Notification>().AsNoTracking().SingleAsync(n => n.SupplierId == SupplierId && n.Kind == NotificationKind.Escalation);
            Assert.Equal(Roles.ProcurementManager, escalation.AudienceRole);
            var instance = await db.Set<PersistedWorkflow>().AsNoTracking().SingleAsync(w => w.Id == Guid.Parse(instanceId));
            Assert.Equal((int)WorkflowStatus.Runnable, instance.Status); // still watching: the questionnaire is not submitted
        }

        Assert.True(_logs.Errors.Concat(_firstLogs.Errors).All(e => e.Contains("Cancel", StringComparison.Ordinal) || e.Contains("ObjectDisposedException", StringComparison.Ordinal)), _logs.All + _firstLogs.All);
    }

    private IHost Build(LogSink? logs = null) => EngineHost.Build(_database, logs ?? _logs, configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private async Task<string> InstanceAsync()
    {
        string? id = null;
        var reference = SupplierId.ToString("D");
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            id = (await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == OnboardingWorkflow.DefinitionId && w.Reference == reference)
                .Select(w => (Guid?)w.Id).SingleOrDefaultAsync())?.ToString("D");
            return id is not null;
        }, "the sweep starts the onboarding of the invited supplier");
        return id!;
    }

    private Task WaitForStepAsync(IHost host, string instanceId, string step, bool sleeping) =>
        WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<Persistence.EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            // A pointer waiting for an event is inactive until the event arrives; a sleeping one stays active.
            return instance.ExecutionPointers.Any(p => p.StepName == step && (sleeping
                ? p.Active && p.SleepUntil > _clock.GetUtcNow().UtcDateTime
                : p.Status == PointerStatus.WaitingForEvent));
        }, $"the onboarding reaches {step}");

    private async Task<List<string>> KeysAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Set<Notification>().AsNoTracking().Where(n => n.SupplierId == SupplierId && n.Key.StartsWith("assessment:")).Select(n => n.Key).ToListAsync();
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) => EngineHost.WaitUntilAsync(condition, what, _logs, TimeSpan.FromSeconds(60));
}
