using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Status;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;
using DomainStatus = SupplierAssure.Core.Suppliers.AssuranceStatus;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// Hosts of their own for the watch tests: they append to the status feed, which the other tests' fixture must not
/// see. The gateway polls fast so tests wait little; a second gateway treats the demo partner as an operator client.
/// </summary>
public sealed class WatchFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public GatewayFactory Gateway { get; private set; } = null!;

    public GatewayFactory OperatorGateway { get; private set; } = null!;

    public string Token { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = new GatewayFactory(Portal).With("PartnerGateway:StatusFeed:PollInterval", "00:00:00.020");
        OperatorGateway = new GatewayFactory(Portal)
            .With("PartnerGateway:StatusFeed:PollInterval", "00:00:00.020")
            .With("PartnerGateway:OperatorIntegrationClients:0", DemoData.PartnerClientId);
        Token = await Portal.GetPartnerTokenAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await OperatorGateway.DisposeAsync();
        await Portal.DisposeAsync();
    }

    /// <summary>Appends a feed row as the scoring step would (without touching the supplier row) and returns its sequence.</summary>
    public async Task<long> AppendChangeAsync(Guid supplierId, DomainStatus newStatus)
    {
        await using var db = Portal.CreateDbContext();
        var change = new StatusChange
        {
            SupplierId = supplierId,
            PreviousStatus = DomainStatus.UnderReview,
            NewStatus = newStatus,
            Reason = "test",
            OccurredAt = DateTimeOffset.UtcNow,
        };
        db.StatusChanges.Add(change);
        await db.SaveChangesAsync();
        return change.Sequence;
    }
}

public sealed class WatchSecurityStatusTests(WatchFixture fixture) : IClassFixture<WatchFixture>
{
    // A guard against a hung stream, not a timing assertion: a healthy test reads its messages in milliseconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watch_HistoryThenLive_DeliversOnlyVisibleSuppliersInOrder()
    {
        var start = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.UnderReview) - 1;
        var hidden = await fixture.AppendChangeAsync(DemoData.CalderaSupplierId, DomainStatus.Approved);
        using var channel = fixture.Gateway.CreateChannel();
        using var cts = new CancellationTokenSource(Patience);
        using var call = Watch(channel, start, cts.Token);

        var first = await NextAsync(call, cts.Token);
        var live = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.Approved);
        var second = await NextAsync(call, cts.Token);

        Assert.Equal(start + 1, first.Sequence);
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), first.SupplierId);
        Assert.Equal(live, second.Sequence);
        Assert.True(second.Sequence > hidden);
        Assert.Equal(AssuranceStatus.Approved, second.NewStatus);
        Assert.Equal(AssuranceStatus.UnderReview, second.PreviousStatus);
    }

    [Fact]
    public async Task Watch_ResumedFromLastSequence_MissesNothingAndRepeatsNothing()
    {
        var a = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.UnderReview);
        var b = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.Approved);
        var c = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.Suspended);
        using var channel = fixture.Gateway.CreateChannel();
        long received;
        using (var firstCts = new CancellationTokenSource(Patience))
        using (var first = Watch(channel, a - 1, firstCts.Token))
        {
            received = (await NextAsync(first, firstCts.Token)).Sequence;
            await firstCts.CancelAsync(); // the client drops the stream after one message
        }

        var d = await fixture.AppendChangeAsync(DemoData.MeridianSupplierId, DomainStatus.Approved);
        using var cts = new CancellationTokenSource(Patience);
        using var resumed = Watch(channel, received, cts.Token);
        var sequences = new List<long>();
        while (sequences.Count < 3)
        {
            sequences.Add((await NextAsync(resumed, cts.Token)).Sequence);
        }

        Assert.Equal(a, received);
        Assert.Equal([b, c, d], sequences);
    }

    [Fact]
    public async Task Watch_OperatorIntegrationClient_SeesSuppliersWithoutConsent()
    {
        var hidden = await fixture.AppendChangeAsync(DemoData.CalderaSupplierId, DomainStatus.Rejected);
        using var channel = fixture.OperatorGateway.CreateChannel();
        using var cts = new CancellationTokenSource(Patience);
        using var call = Watch(channel, hidden - 1, cts.Token);

        var change = await NextAsync(call, cts.Token);

        Assert.Equal(hidden, change.Sequence);
        Assert.Equal(DemoData.CalderaSupplierId.ToString(), change.SupplierId);
    }

    [Fact]
    public async Task Watch_NegativeCursor_IsInvalidArgumentOnAfterSequence()
    {
        using var channel = fixture.Gateway.CreateChannel();
        using var cts = new CancellationTokenSource(Patience);
        using var call = Watch(channel, -1, cts.Token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("after_sequence", Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Watch_TokenWithoutStatusScope_IsPermissionDenied()
    {
        var token = await fixture.Portal.GetPartnerTokenAsync(scope: "partner.incidents.write");
        using var channel = fixture.Gateway.CreateChannel();
        using var cts = new CancellationTokenSource(Patience);
        using var call = new PartnerExchange.PartnerExchangeClient(channel)
            .WatchSecurityStatus(new WatchSecurityStatusRequest(), Bearer(token), cancellationToken: cts.Token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    private AsyncServerStreamingCall<SecurityStatusChange> Watch(GrpcChannel channel, long after, CancellationToken cancellationToken) =>
        new PartnerExchange.PartnerExchangeClient(channel).WatchSecurityStatus(
            new WatchSecurityStatusRequest { AfterSequence = after }, Bearer(fixture.Token), cancellationToken: cancellationToken);

    private static async Task<SecurityStatusChange> NextAsync(AsyncServerStreamingCall<SecurityStatusChange> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken), "The stream ended early.");
        return call.ResponseStream.Current;
    }
}
