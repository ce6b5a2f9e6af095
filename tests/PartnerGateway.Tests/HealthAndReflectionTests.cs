using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using SupplierAssure.Partner.V1;

namespace SupplierAssure.PartnerGateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class HealthAndReflectionTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("")]
    [InlineData("supplierassure.partner.v1.PartnerExchange")]
    public async Task Check_DatabaseReachable_IsServing(string service)
    {
        var health = new Health.HealthClient(fixture.Channel);

        // No token: orchestrators probe without one.
        var response = await health.CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ListServices_ListsThePartnerExchangeAndHealth()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains(PartnerExchange.Descriptor.FullName, names);
        Assert.Contains("grpc.health.v1.Health", names);
    }
}
