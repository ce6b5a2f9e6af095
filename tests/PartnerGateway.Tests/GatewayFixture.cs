using Grpc.Core;
using Grpc.Net.Client;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// One Portal (the token server and owner of the demo database) and one gateway beside it for the whole
/// collection; starting them costs seconds, each test only milliseconds. Tests that need a differently
/// configured gateway start their own on <see cref="Portal"/>.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public GatewayFactory Gateway { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public PartnerExchange.PartnerExchangeClient Client { get; private set; } = null!;

    /// <summary>A real token for the demo partner with the "partner.status.read" scope.</summary>
    public string StatusReadToken { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = new GatewayFactory(Portal);
        Channel = Gateway.CreateChannel();
        Client = new PartnerExchange.PartnerExchangeClient(Channel);
        StatusReadToken = await Portal.GetPartnerTokenAsync();
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Gateway.DisposeAsync();
        await Portal.DisposeAsync();
    }

    public static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    public static GetSecurityStatusRequest Lookup(IdentifierType type, string value) =>
        new() { Identifier = new SupplierIdentifier { Type = type, Value = value } };
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "Gateway beside the Portal";
}
