using Grpc.Net.Client;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.PartnerGateway;

namespace SupplierAssure.TestSupport;

/// <summary>
/// The partner gateway on the test server, beside a <see cref="PortalFactory"/>: it shares the Portal's SQLite
/// data directory, trusts the Portal's issuer, and fetches the Portal's discovery document and signing keys
/// through the Portal's in-memory handler, so tests run with real tokens from the real token endpoint.
/// </summary>
public class GatewayFactory : WebApplicationFactory<PartnerGatewayApp>
{
    private readonly PortalFactory _portal;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<Action<IServiceCollection>> _testServices = [];

    public GatewayFactory(PortalFactory portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        _portal = portal;
    }

    public PortalFactory Portal => _portal;

    /// <summary>Extra configuration for this host (set before the first channel is created).</summary>
    public GatewayFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Service overrides applied after the gateway's own registrations (set before the first channel).</summary>
    public GatewayFactory WithServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _testServices.Add(configure);
        return this;
    }

    /// <summary>A gRPC channel to the gateway through the test server's HTTP/2 handler.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The Portal starts first: it creates and seeds the shared database, and its server is the authority.
        var portalServer = _portal.Server;

        builder.UseEnvironment("Development");
        builder.UseSetting("SupplierAssure:DataDirectory", _portal.DataDirectory);
        // The Portal's identity seed (clients, scopes) is its own; the gateway only reads the shared database.
        builder.UseSetting("Database:SeedDemoData", "false");
        builder.UseSetting("PartnerGateway:Authority", PortalFactory.Issuer);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // Configure (not PostConfigure): JwtBearer's own post-configuration builds the metadata client from
            // this handler, so the handler must be in place before it runs.
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = portalServer.CreateHandler());
            foreach (var configure in _testServices)
            {
                configure(services);
            }
        });
    }
}
