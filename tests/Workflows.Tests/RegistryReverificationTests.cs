using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Registries;
using SupplierAssure.Workflows.Credentials;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Credential monitoring in the engine's host with the real EU AEO adapter (typed client, resilience handler, address
/// from configuration) against WireMock standing in for the registry: the periodic re-verification that finds the
/// authorisation gone suspends the approved supplier with a feed row, and a verified replacement restores it.
/// </summary>
public sealed class RegistryReverificationTests : IAsyncLifetime
{
    private const string Path = "/eu-aeo/authorisations";
    private readonly LogSink _logs = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero));
    private readonly WireMockServer _registry = WireMockServer.Start();
    private SqliteTestDatabase _database = null!;
    private string _holder = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
        await using var db = _database.CreateContext();
        await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AssuranceStatus, AssuranceStatus.Approved));
        _holder = await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId).Select(s => s.LegalName).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        _registry.Stop();
        _registry.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Reverification_RegistryDropsAuthorisation_Suspends_ThenVerifiedReplacementRestores()
    {
        Lists(("DE", "AEOF"));
        var withdrawnId = await AddCredentialAsync("DEAEOF1234567");
        using var host = Build();
        await host.StartAsync();
        await WaitUntilAsync(async () => await StateAsync(withdrawnId) == VerificationState.Verified, "the first check asks the registry and verifies");
        Assert.Equal(EuAeoConsultationRegistry.RegistryName, await SourceAsync(withdrawnId));
        Assert.Single(_registry.LogEntries);

        // 90 days on (the shipped re-verification interval) the registry no longer lists the authorisation.
        Lists();
        _clock.Advance(TimeSpan.FromDays(90) + TimeSpan.FromMinutes(1));
        await WaitUntilAsync(async () => await StatusAsync() == AssuranceStatus.Suspended, "the re-verification suspends the approved supplier");
        Assert.Equal(VerificationState.NotFoundInRegistry, await StateAsync(withdrawnId));
        Assert.Equal(2, _registry.LogEntries.Count());
        var suspension = Assert.Single(await FeedAsync());
        Assert.Equal((AssuranceStatus.Approved, AssuranceStatus.Suspended), (suspension.PreviousStatus, suspension.NewStatus));
        Assert.StartsWith("EU AEO authorisation DEAEOF1234567 withdrawn:", suspension.Reason, StringComparison.Ordinal);

        // A replacement authorisation arrives (as a partner's SubmitCredential stores it) and the registry lists it:
        // the intake starts its watch at once, its first check verifies it and the earlier status comes back.
        Lists(("NL", "AEOS"));
        var replacementId = await AddCredentialAsync("NLAEOS0012345");
        await WaitUntilAsync(async () => await StatusAsync() == AssuranceStatus.Approved, "the verified replacement restores the supplier");
        Assert.Equal(VerificationState.Verified, await StateAsync(replacementId));
        var feed = await FeedAsync();
        Assert.Equal(2, feed.Count);
        var restored = feed[1];
        Assert.Equal((AssuranceStatus.Suspended, AssuranceStatus.Approved), (restored.PreviousStatus, restored.NewStatus));
        Assert.Contains("NLAEOS0012345 verified, replacing EU AEO authorisation DEAEOF1234567", restored.Reason, StringComparison.Ordinal);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(restored.Sequence, await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId).Select(s => s.LastStatusSequence).SingleAsync());
        }

        // Its next looks (an hour on, and at its own re-verification) restore nothing again.
        _clock.Advance(TimeSpan.FromHours(2));
        await WaitUntilAsync(async () => await NextLookAfterAsync(replacementId, _clock.GetUtcNow().UtcDateTime), "the replacement's watch sleeps again");
        Assert.Equal(2, (await FeedAsync()).Count);
        await host.StopAsync();
    }

    private IHost Build() => EngineHost.Build(_database, _logs, configure: s =>
    {
        s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
        s.Configure<RegistryOptions>(CredentialRegistryExtensions.EuAeo, o => o.BaseAddress = new Uri(_registry.Url + "/eu-aeo/"));
        s.Configure<WorkflowEngineOptions>(o => o.CredentialIntakeInterval = TimeSpan.FromMilliseconds(200));
    });

    /// <summary>The registry lists Meridian with these (country, kind) authorisations, and nothing else.</summary>
    private void Lists(params (string Country, string Kind)[] authorisations)
    {
        _registry.ResetMappings(); // the request log stays, so the test can count the registry's questions
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            authorisations = authorisations.Select(a => new { holderName = _holder, country = a.Country, type = a.Kind }),
        });
        _registry.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    private async Task<Guid> AddCredentialAsync(string number)
    {
        await using var db = _database.CreateContext();
        var credential = new Credential
        {
            Id = Guid.NewGuid(),
            SupplierId = DemoData.MeridianSupplierId,
            Type = CredentialType.EuAeo,
            Number = number,
            ValidFrom = _clock.GetUtcNow().AddYears(-1),
            ValidUntil = _clock.GetUtcNow().AddYears(3),
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

    private async Task<string?> SourceAsync(Guid credentialId)
    {
        await using var db = _database.CreateContext();
        return await db.Credentials.Where(c => c.Id == credentialId).Select(c => c.VerificationSource).SingleAsync();
    }

    private async Task<AssuranceStatus> StatusAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId).Select(s => s.AssuranceStatus).SingleAsync();
    }

    private async Task<List<StatusChange>> FeedAsync()
    {
        await using var db = _database.CreateContext();
        return (await db.StatusChanges.AsNoTracking().Where(c => c.SupplierId == DemoData.MeridianSupplierId).ToListAsync())
            .Where(c => c.Reason.Contains("AEO", StringComparison.Ordinal))
            .OrderBy(c => c.Sequence)
            .ToList();
    }

    private async Task<bool> NextLookAfterAsync(Guid credentialId, DateTime after)
    {
        await using var db = _database.CreateContext();
        var reference = credentialId.ToString("D");
        var pointers = await db.Set<PersistedWorkflow>().AsNoTracking()
            .Where(w => w.WorkflowDefinitionId == CredentialMonitoringWorkflow.DefinitionId && w.Reference == reference)
            .Select(w => w.NextExecution)
            .SingleOrDefaultAsync();
        return pointers is { } ticks && ticks > after.Ticks;
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) => EngineHost.WaitUntilAsync(condition, what, _logs, TimeSpan.FromSeconds(60));
}
