using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using SupplierAssure.Core.Demo;
using SupplierAssure.Partner.V1;
using SupplierAssure.TestSupport;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// Outside Development, with no certificate configured, the Portal generates its token keys once and keeps them
/// (protected) in the data directory: a restarted Portal publishes the same key and tokens issued before still work.
/// The three tests share one restart (<see cref="TokenKeyRestartFixture"/>): production hosts migrate and seed from
/// scratch, so each one started is seconds of a shared machine.
/// </summary>
public sealed class TokenKeyPersistenceTests(TokenKeyRestartFixture restart) : IClassFixture<TokenKeyRestartFixture>
{
    [Fact]
    public async Task Restart_SameDataDirectory_SameKeyIdAndEarlierTokenAccepted()
    {
        Assert.Equal(restart.KeyIdBeforeRestart, new JsonWebToken(restart.TokenBeforeRestart).Kid);
        Assert.Equal([restart.KeyIdBeforeRestart], await SigningKeyIdsAsync(restart.Restarted));

        using var channel = restart.Gateway.CreateChannel();
        var status = await new PartnerExchange.PartnerExchangeClient(channel)
            .GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(restart.TokenBeforeRestart));
        Assert.Equal(DemoData.MeridianSupplierId.ToString(), status.SupplierId);
    }

    [Fact]
    public async Task OtherDataDirectory_OtherKey_TokenOfTheOtherRefused()
    {
        var token = await restart.Other.GetPartnerTokenAsync();

        Assert.NotEqual(await SigningKeyIdsAsync(restart.Other), await SigningKeyIdsAsync(restart.Restarted));
        using var channel = restart.Gateway.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new PartnerExchange.PartnerExchangeClient(channel)
            .GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public void StoredKeys_AreNotPlainPkcs12AndOnlyTheOwnerMayReadThem()
    {
        foreach (var directory in new[] { restart.DataDirectory, restart.Other.DataDirectory })
        {
            var files = Directory.GetFiles(Path.Combine(directory, "keys", "token"), "*.pfx.protected");
            Assert.Equal(2, files.Length); // one signing key, one encryption key; the restart made none
            foreach (var file in files)
            {
                Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(file, password: null));
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }
        }
    }

    internal static async Task<string[]> SigningKeyIdsAsync(PortalFactory portal)
    {
        using var client = portal.CreateClient();
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => !k.TryGetProperty("use", out var use) || use.GetString() == "sig")
            .Select(k => k.GetProperty("kid").GetString()!)];
    }
}

/// <summary>
/// A production Portal started and stopped on one data directory (its key id and a token kept), the same directory
/// started again with a gateway beside it, and a production Portal on another directory.
/// </summary>
public sealed class TokenKeyRestartFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = TestPaths.NewDataDirectory();

    public string KeyIdBeforeRestart { get; private set; } = null!;

    public string TokenBeforeRestart { get; private set; } = null!;

    public ProductionPortalFactory Restarted { get; private set; } = null!;

    public GatewayFactory Gateway { get; private set; } = null!;

    public ProductionPortalFactory Other { get; } = new();

    public async Task InitializeAsync()
    {
        await using (var first = new ProductionPortalFactory { DataDirectory = DataDirectory, DeleteDataOnDispose = false })
        {
            KeyIdBeforeRestart = Assert.Single(await TokenKeyPersistenceTests.SigningKeyIdsAsync(first));
            TokenBeforeRestart = await first.GetPartnerTokenAsync();
        }

        Restarted = new ProductionPortalFactory { DataDirectory = DataDirectory };
        Gateway = new GatewayFactory(Restarted);
        _ = Other.Server;
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Restarted is not null)
        {
            await Restarted.DisposeAsync();
        }

        await Other.DisposeAsync();
        TestPaths.TryDelete(DataDirectory); // also when the first start failed before the restarted host existed
    }
}
