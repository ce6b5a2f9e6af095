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
/// The EORI adapter with the gateway's real registration (typed client, resilience handler, base address from
/// configuration) against a WireMock server standing in for the EU's EORI validation service.
/// </summary>
public sealed class EoriValidationRegistryTests : IDisposable
{
    private const string Number = "DE123456789012345";
    private const string Path = "/eori/validations/" + Number;
    private static readonly Supplier Holder = new() { Id = Guid.NewGuid(), LegalName = "Meridian Freight Services Ltd", CountryCode = "GB" };

    private readonly WireMockServer _registry = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public EoriValidationRegistryTests()
    {
        // The gateway's earlier section names ("PartnerGateway:Registries:<name>") are still read, so settings
        // written for them keep working; the AEO tests use the shared "CredentialRegistries:<name>".
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PartnerGateway:Registries:EuAeo:BaseAddress"] = _registry.Url + "/eu-aeo/",
            ["PartnerGateway:Registries:Eori:BaseAddress"] = _registry.Url + "/eori/",
            // Generous for a loaded test machine; the slow answer below (3 s) is past the attempt timeout all the same.
            ["PartnerGateway:Registries:Eori:AttemptTimeout"] = "00:00:02",
            ["PartnerGateway:Registries:Eori:TotalTimeout"] = "00:00:10",
            ["PartnerGateway:Registries:Eori:MaxRetries"] = "2",
            ["PartnerGateway:Registries:Eori:RetryDelay"] = "00:00:00.010",
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

    [Theory]
    [InlineData("""{"eori":"DE123456789012345","valid":true,"name":"MERIDIAN FREIGHT SERVICES LTD"}""")]
    [InlineData("""{"eori":"DE123456789012345","valid":true,"name":null}""")] // the holder did not publish its name
    public async Task Check_RegisteredNumber_Verified(string body)
    {
        Answer(200, body);

        var verdict = await CheckAsync();

        Assert.Equal(VerificationState.Verified, verdict.State);
        Assert.Equal(Path, Assert.Single(_registry.LogEntries).RequestMessage.Path);
    }

    [Theory]
    [InlineData(404, "")]
    [InlineData(200, """{"eori":"DE123456789012345","valid":false,"name":null}""")]
    [InlineData(200, """{"eori":"DE123456789012345","valid":true,"name":"Someone Else GmbH"}""")]
    public async Task Check_NotRegisteredForThisHolder_NotFoundInRegistry(int status, string body)
    {
        Answer(status, body);

        var verdict = await CheckAsync();

        Assert.Equal(VerificationState.NotFoundInRegistry, verdict.State);
    }

    [Theory]
    [InlineData("<html>maintenance</html>")]
    [InlineData("""{"result":"ok"}""")]
    [InlineData("""{"eori":"FR999","valid":true}""")] // an answer about another number
    public async Task Check_MalformedAnswer_RegistryUnavailable(string body)
    {
        Answer(200, body);

        await Assert.ThrowsAsync<RegistryUnavailableException>(CheckAsync);
    }

    [Fact]
    public async Task Check_AnswerSlowerThanTheTimeout_RegistryUnavailable()
    {
        _registry.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"eori":"DE123456789012345","valid":true}""").WithDelay(TimeSpan.FromSeconds(3)));

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(CheckAsync);

        // By name: WireMock brings Polly 7, whose exception type has the same full name as Polly 8's.
        Assert.Equal("Polly.Timeout.TimeoutRejectedException", ex.InnerException?.GetType().FullName);
    }

    [Fact]
    public async Task Check_ServerErrorThenSuccess_RetriesAndVerifies()
    {
        _registry.Given(Request.Create().WithPath(Path).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(502));
        _registry.Given(Request.Create().WithPath(Path).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"eori":"DE123456789012345","valid":true,"name":"Meridian Freight Services Ltd"}"""));

        var verdict = await CheckAsync();

        Assert.Equal(VerificationState.Verified, verdict.State);
        Assert.Equal(2, _registry.LogEntries.Count());
    }

    [Fact]
    public void Port_EachTypeHasExactlyOneRegistry()
    {
        var registries = _services.GetServices<ICredentialRegistry>().ToList();
        foreach (var type in Enum.GetValues<CredentialType>())
        {
            Assert.Single(registries, r => r.Handles(type));
        }

        Assert.IsType<EoriValidationRegistry>(registries.Single(r => r.Handles(CredentialType.Eori)));
        Assert.IsType<ManualReviewRegistry>(registries.Single(r => r.Handles(CredentialType.CTpat)));
        Assert.IsType<ManualReviewRegistry>(registries.Single(r => r.Handles(CredentialType.TapaFsr)));
    }

    private void Answer(int status, string body) =>
        _registry.Given(Request.Create().WithPath(Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private Task<RegistryVerdict> CheckAsync()
    {
        var registry = _services.GetServices<ICredentialRegistry>().Single(r => r.Handles(CredentialType.Eori));
        var credential = new Credential { Id = Guid.NewGuid(), SupplierId = Holder.Id, Type = CredentialType.Eori, Number = Number, SubmittedBy = "test" };
        return registry.CheckAsync(credential, Holder, CancellationToken.None);
    }
}
