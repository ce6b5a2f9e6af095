using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Registries;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// The EU AEO adapter with the shared registration both hosts use (typed client, resilience handler) against a WireMock
/// server standing in for the registry.
/// </summary>
public sealed class EuAeoConsultationRegistryTests : IDisposable
{
    private const string Path = "/eu-aeo/authorisations";
    private static readonly Supplier Holder = new() { Id = Guid.NewGuid(), LegalName = "Meridian Freight Services Ltd", CountryCode = "GB" };

    private readonly WireMockServer _registry = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public EuAeoConsultationRegistryTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CredentialRegistries:EuAeo:BaseAddress"] = _registry.Url + "/eu-aeo/",
            ["CredentialRegistries:EuAeo:AttemptTimeout"] = "00:00:00.300",
            ["CredentialRegistries:EuAeo:TotalTimeout"] = "00:00:02",
            ["CredentialRegistries:EuAeo:MaxRetries"] = "2",
            ["CredentialRegistries:EuAeo:RetryDelay"] = "00:00:00.010",
            // Every registry's client is built when the port's implementations are resolved.
            ["CredentialRegistries:Eori:BaseAddress"] = _registry.Url + "/eori/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCredentialRegistries();
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _registry.Stop();
        _registry.Dispose();
    }

    [Fact]
    public async Task Check_RegistryListsHolderWithThatKind_Verified()
    {
        Answer(200, """{"authorisations":[{"holderName":"MERIDIAN FREIGHT SERVICES LTD","country":"DE","type":"AEOF"}]}""");

        var verdict = await CheckAsync("DEAEOF1234567");

        Assert.Equal(VerificationState.Verified, verdict.State);
        var request = Assert.Single(_registry.LogEntries).RequestMessage;
        Assert.Equal("Meridian Freight Services Ltd", request.Query!["holderName"].Single());
        Assert.Equal("DE", request.Query["country"].Single());
        Assert.Equal("AEOF", request.Query["type"].Single());
    }

    [Fact]
    public async Task Check_RegistryListsOnlyAnotherKind_NotFoundInRegistry()
    {
        Answer(200, """{"authorisations":[{"holderName":"Meridian Freight Services Ltd","country":"DE","type":"AEOC"}]}""");

        var verdict = await CheckAsync("DEAEOF1234567");

        Assert.Equal(VerificationState.NotFoundInRegistry, verdict.State);
    }

    [Theory]
    [InlineData(200, """{"authorisations":[]}""")]
    [InlineData(404, "")]
    public async Task Check_RegistryHasNoEntry_NotFoundInRegistry(int status, string body)
    {
        Answer(status, body);

        var verdict = await CheckAsync("NLAEOS0012345");

        Assert.Equal(VerificationState.NotFoundInRegistry, verdict.State);
    }

    [Theory]
    [InlineData("<html>maintenance</html>")]
    [InlineData("""{"results":[]}""")]
    [InlineData("""{"authorisations":[{"holderName":"x"}]}""")]
    public async Task Check_MalformedAnswer_RegistryUnavailable(string body)
    {
        Answer(200, body);

        await Assert.ThrowsAsync<RegistryUnavailableException>(() => CheckAsync("DEAEOF1234567"));
    }

    [Fact]
    public async Task Check_AnswerSlowerThanTheTimeout_RegistryUnavailableAfterRetries()
    {
        _registry.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"authorisations":[]}""").WithDelay(TimeSpan.FromSeconds(3)));

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(() => CheckAsync("DEAEOF1234567"));

        // Every attempt was cut off by the attempt timeout; WireMock logs a request only once it has answered, so
        // the attempts cannot be counted here.
        // By name: WireMock brings Polly 7, whose exception type has the same full name as Polly 8's.
        Assert.Equal("Polly.Timeout.TimeoutRejectedException", ex.InnerException?.GetType().FullName);
    }

    [Fact]
    public async Task Check_ServerErrorThenSuccess_RetriesAndVerifies()
    {
        _registry.Given(Request.Create().WithPath(Path).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        _registry.Given(Request.Create().WithPath(Path).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody("""{"authorisations":[{"holderName":"Meridian Freight Services Ltd","country":"DE","type":"AEOF"}]}"""));

        var verdict = await CheckAsync("DEAEOF1234567");

        Assert.Equal(VerificationState.Verified, verdict.State);
        Assert.Equal(2, _registry.LogEntries.Count());
    }

    [Fact]
    public async Task Check_ServerErrorEveryTime_RegistryUnavailable()
    {
        Answer(500, "");

        await Assert.ThrowsAsync<RegistryUnavailableException>(() => CheckAsync("DEAEOF1234567"));

        Assert.Equal(3, _registry.LogEntries.Count());
    }

    private void Answer(int status, string body) =>
        _registry.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private Task<RegistryVerdict> CheckAsync(string number)
    {
        var registry = _services.GetServices<ICredentialRegistry>().Single(r => r.Handles(CredentialType.EuAeo));
        Assert.IsType<EuAeoConsultationRegistry>(registry);
        var credential = new Credential { Id = Guid.NewGuid(), SupplierId = Holder.Id, Type = CredentialType.EuAeo, Number = number, SubmittedBy = "test" };
        return registry.CheckAsync(credential, Holder, CancellationToken.None);
    }
}
