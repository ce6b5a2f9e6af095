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
/// </summary>
public sealed class TokenKeyPersistenceTests
{
    [Fact]
    public async Task Restart_SameDataDirectory_SameKeyIdAndEarlierTokenAccepted()
    {
        var dataDirectory = TestPaths.NewDataDirectory();
        try
        {
            string keyId;
            string token;
            await using (var first = new ProductionPortalFactory { DataDirectory = dataDirectory, DeleteDataOnDispose = false })
            {
                keyId = Assert.Single(await SigningKeyIdsAsync(first));
                token = await first.GetPartnerTokenAsync();
                Assert.Equal(keyId, new JsonWebToken(token).Kid);
            }

            await using var second = new ProductionPortalFactory { DataDirectory = dataDirectory };
            await using var gateway = new GatewayFactory(second);
            using var channel = gateway.CreateChannel();

            Assert.Equal([keyId], await SigningKeyIdsAsync(second));
            var status = await new PartnerExchange.PartnerExchangeClient(channel)
                .GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token));
            Assert.Equal(DemoData.MeridianSupplierId.ToString(), status.SupplierId);
        }
        finally
        {
            TestPaths.TryDelete(dataDirectory);
        }
    }

    [Fact]
    public async Task OtherDataDirectory_OtherKey_TokenOfTheFirstRefused()
    {
        await using var first = new ProductionPortalFactory();
        await using var other = new ProductionPortalFactory();
        await using var gateway = new GatewayFactory(other);
        using var channel = gateway.CreateChannel();
        var token = await first.GetPartnerTokenAsync();

        Assert.NotEqual(await SigningKeyIdsAsync(first), await SigningKeyIdsAsync(other));
        var ex = await Assert.ThrowsAsync<RpcException>(() => new PartnerExchange.PartnerExchangeClient(channel)
            .GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(token)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task StoredKeys_AreNotPlainPkcs12AndOnlyTheOwnerMayReadThem()
    {
        await using var portal = new ProductionPortalFactory();
        _ = portal.Server; // start: the keys are made at start-up

        var files = Directory.GetFiles(Path.Combine(portal.DataDirectory, "keys", "token"), "*.pfx.protected");
        Assert.Equal(2, files.Length); // one signing key, one encryption key
        foreach (var file in files)
        {
            Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(file, password: null));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    private static async Task<string[]> SigningKeyIdsAsync(PortalFactory portal)
    {
        using var client = portal.CreateClient();
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => !k.TryGetProperty("use", out var use) || use.GetString() == "sig")
            .Select(k => k.GetProperty("kid").GetString()!)];
    }
}
