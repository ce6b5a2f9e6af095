using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;

namespace SupplierAssure.PartnerGateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class RateLimitAndAccessLogTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Calls_OverTheClientsBudget_AreResourceExhaustedWhileHealthIsNot()
    {
        // A bucket of two that refills one call per second: the third call in a row is over budget.
        await using var gateway = new GatewayFactory(fixture.Portal)
            .With("PartnerGateway:RateLimit:Burst", "2")
            .With("PartnerGateway:RateLimit:PermitsPerSecond", "1");
        using var channel = gateway.CreateChannel();
        var client = new PartnerExchange.PartnerExchangeClient(channel);
        var lookup = Lookup(IdentifierType.Lei, DemoData.MeridianLei);

        var codes = new List<StatusCode>();
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await client.GetSecurityStatusAsync(lookup, Bearer(fixture.StatusReadToken));
                codes.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                codes.Add(ex.StatusCode);
            }
        }

        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.Equal(StatusCode.OK, codes[0]);
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task GetSecurityStatus_IsRecordedInTheAccessLog()
    {
        await using (var db = fixture.Portal.CreateDbContext())
        {
            await db.PartnerAccesses.Where(a => a.Operation == "GetSecurityStatus").ExecuteDeleteAsync();
        }

        await fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(fixture.StatusReadToken));

        // The log is written behind the call; wait for it (a guard against a hang, not a timing assertion).
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            await using var db = fixture.Portal.CreateDbContext();
            var entry = await db.PartnerAccesses.FirstOrDefaultAsync(a => a.Operation == "GetSecurityStatus", patience.Token);
            if (entry is not null)
            {
                Assert.Equal(DemoData.MeridianSupplierId, entry.SupplierId);
                Assert.Equal(DemoData.PartnerClientId, entry.ClientId);
                return;
            }

            await Task.Delay(50, patience.Token);
        }
    }
}
