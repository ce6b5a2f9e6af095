using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Onboarding;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.Credentials;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Onboarding;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Credential watches and onboardings start (and a sign-up moves its onboarding on) when the event happens, not at
/// the next sweep; the sweep stays the backstop, and when both start the same workflow at once, in one process or
/// in two on one database, one instance results.
/// </summary>
public sealed class StartAtTheEventTests : IAsyncLifetime
{
    private static readonly Guid InvitedId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a0000b1");
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
    public async Task CredentialSubmittedAfterTheSweep_WatchedWithinSeconds_NotAtTheNextSweep()
    {
        using var host = Build(enabled: true);
        await host.StartAsync();
        // The start-up sweep ran inside StartAsync (nothing to watch yet); the next is five minutes away in real time.
        var credentialId = await AddCredentialAsync(CredentialType.TapaFsr, "FSR-2026-0042");

        await EngineHost.WaitUntilAsync(async () => await StateAsync(credentialId) == VerificationState.PendingReview,
            "the new credential's first check (queued for a reviewer) runs", _logs, TimeSpan.FromSeconds(30));
        Assert.Single(await InstancesAsync(CredentialMonitoringWorkflow.DefinitionId, credentialId));
        await host.StopAsync();
    }

    [Fact]
    public async Task SweepAndEventStartingAtOnce_InTwoProcesses_OneInstanceEach()
    {
        await using (var db = _database.CreateContext())
        {
            db.Suppliers.Add(new Supplier { Id = InvitedId, LegalName = "Saltmarsh Haulage Ltd", CountryCode = "GB", Lifecycle = SupplierLifecycle.Invited });
            await db.SaveChangesAsync();
        }

        var credentials = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            credentials.Add(await AddCredentialAsync(CredentialType.Iso28000, $"ISO28K-{i:D4}"));
        }

        // Two processes on one database, engines off so that nothing but these calls starts anything.
        using var one = Build(enabled: false);
        using var two = Build(enabled: false);
        var racers = new List<Task>();
        foreach (var host in new[] { one, two })
        {
            var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();
            var signals = host.Services.GetRequiredService<IOnboardingSignals>();
            racers.Add(Task.Run(() => sweeper.SweepAsync(CancellationToken.None)));
            racers.Add(Task.Run(() => sweeper.StartNewCredentialMonitorsAsync(TimeSpan.FromMinutes(10), CancellationToken.None)));
            racers.Add(Task.Run(() => signals.MilestoneReachedAsync(InvitedId, OnboardingMilestone.Invited, null, CancellationToken.None)));
            racers.Add(Task.Run(() => signals.MilestoneReachedAsync(InvitedId, OnboardingMilestone.SignedUp, null, CancellationToken.None)));
            racers.AddRange(credentials.Select(id => Task.Run(() => sweeper.StartCredentialMonitorAsync(id, 0, CancellationToken.None))));
        }

        await Task.WhenAll(racers);

        // The two sweeps also raced on the demo's open questionnaires (and any excluded supplier): one watch each.
        await using (var db = _database.CreateContext())
        {
            string[] watches = [Deadlines.QuestionnaireDeadlineWorkflow.DefinitionId, Deadlines.ExclusionRevalidationWorkflow.DefinitionId];
            var references = await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => watches.Contains(w.WorkflowDefinitionId))
                .Select(w => w.WorkflowDefinitionId + ":" + w.Reference)
                .ToListAsync();
            Assert.Contains(references, r => r.StartsWith(Deadlines.QuestionnaireDeadlineWorkflow.DefinitionId + ":", StringComparison.Ordinal));
            Assert.Equal(references.Count, references.Distinct(StringComparer.Ordinal).Count());
        }

        Assert.Single(await InstancesAsync(OnboardingWorkflow.DefinitionId, InvitedId));
        foreach (var id in credentials)
        {
            Assert.Single(await InstancesAsync(CredentialMonitoringWorkflow.DefinitionId, id));
        }

        // And the sweep afterwards (the backstop) finds nothing left to start.
        Assert.Equal(0, await one.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None));
        Assert.Single(await InstancesAsync(OnboardingWorkflow.DefinitionId, InvitedId));
        Assert.False(_logs.Errors.Any(e => e.Contains("onboarding", StringComparison.OrdinalIgnoreCase)), _logs.All);
    }

    [Fact]
    public async Task InvitationThenSignUp_OnboardingStartsAtTheInvitation_AndLeavesSignUpAtOnce()
    {
        using var host = Build(enabled: true);
        await host.StartAsync();
        await using (var db = _database.CreateContext())
        {
            db.Suppliers.Add(new Supplier { Id = InvitedId, LegalName = "Saltmarsh Haulage Ltd", CountryCode = "GB", Lifecycle = SupplierLifecycle.Invited });
            await db.SaveChangesAsync();
        }

        var signals = host.Services.GetRequiredService<IOnboardingSignals>();
        await signals.MilestoneReachedAsync(InvitedId, OnboardingMilestone.Invited, null, CancellationToken.None);
        var instanceId = Assert.Single(await InstancesAsync(OnboardingWorkflow.DefinitionId, InvitedId));
        await WaitForStepAsync(host, instanceId, "sign-up", sleeping: true);

        // The contact accepts (what the Portal's accept page commits), and the page signals the sign-up. The test
        // clock stands still: without the signal the step would look again only an hour later.
        var userId = Guid.NewGuid();
        await using (var db = _database.CreateContext())
        {
            db.Users.Add(new ApplicationUser { Id = userId, UserName = "ops@saltmarsh.example", Email = "ops@saltmarsh.example", EmailConfirmed = true, SupplierId = InvitedId });
            db.Set<Invitation>().Add(new Invitation
            {
                Id = Guid.NewGuid(), SupplierId = InvitedId, Email = "ops@saltmarsh.example", Role = Roles.SupplierAdmin, TokenHash = new string('b', 64),
                CreatedAt = _clock.GetUtcNow(), ExpiresAt = _clock.GetUtcNow().AddDays(7), AcceptedAt = _clock.GetUtcNow(), AcceptedUserId = userId,
            });
            await db.SaveChangesAsync();
        }

        await signals.MilestoneReachedAsync(InvitedId, OnboardingMilestone.SignedUp, null, CancellationToken.None);
        await WaitForStepAsync(host, instanceId, "wait-for-tier", sleeping: false);
        Assert.Single(await InstancesAsync(OnboardingWorkflow.DefinitionId, InvitedId));

        // A contact added to an organisation that is already onboarded starts nothing.
        await signals.MilestoneReachedAsync(DemoData.MeridianSupplierId, OnboardingMilestone.Invited, null, CancellationToken.None);
        Assert.Empty(await InstancesAsync(OnboardingWorkflow.DefinitionId, DemoData.MeridianSupplierId));
        await host.StopAsync();
    }

    private IHost Build(bool enabled) => EngineHost.Build(_database, _logs, enabled, s =>
    {
        s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
        s.Configure<WorkflowEngineOptions>(o => o.CredentialIntakeInterval = TimeSpan.FromMilliseconds(200));
    });

    private async Task<Guid> AddCredentialAsync(CredentialType type, string number)
    {
        await using var db = _database.CreateContext();
        var credential = new Credential
        {
            Id = Guid.NewGuid(),
            SupplierId = DemoData.CalderaSupplierId,
            Type = type,
            Number = number,
            Level = type == CredentialType.TapaFsr ? "A" : null,
            ValidFrom = _clock.GetUtcNow().AddYears(-1),
            ValidUntil = _clock.GetUtcNow().AddYears(2),
            SubmittedBy = "test-partner",
            SubmittedAt = _clock.GetUtcNow(),
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return credential.Id;
    }

    private async Task<VerificationState> StateAsync(Guid credentialId)
    {
        await using var db = _database.CreateContext();
        return await db.Credentials.Where(c => c.Id == credentialId).Select(c => c.VerificationState).SingleAsync();
    }

    private async Task<List<string>> InstancesAsync(string definitionId, Guid reference)
    {
        await using var db = _database.CreateContext();
        var text = reference.ToString("D");
        return (await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == definitionId && w.Reference == text)
            .Select(w => w.Id)
            .ToListAsync()).Select(id => id.ToString("D")).ToList();
    }

    private Task WaitForStepAsync(IHost host, string instanceId, string step, bool sleeping) =>
        EngineHost.WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<Persistence.EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            return instance.ExecutionPointers.Any(p => p.StepName == step && (sleeping
                ? p.Active && p.SleepUntil > _clock.GetUtcNow().UtcDateTime
                : p.Status == PointerStatus.WaitingForEvent));
        }, $"the onboarding reaches {step}", _logs, TimeSpan.FromSeconds(30));
}
