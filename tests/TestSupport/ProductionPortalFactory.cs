using Microsoft.AspNetCore.Hosting;

namespace SupplierAssure.TestSupport;

/// <summary>
/// The Portal as deployed: the Production environment (HSTS, generated token keys kept in the data directory, MFA
/// for operator staff), with plain HTTP allowed for the test server and the demo organisations seeded for tests.
/// </summary>
public sealed class ProductionPortalFactory : PortalFactory
{
    public ProductionPortalFactory()
    {
        With("Identity:AllowHttp", "true");
        With("Database:SeedDemoData", "true");
        With("Demo:Enabled", "true");
        With("Demo:Password", DemoPassword);
        With("Demo:PartnerClientSecret", PartnerSecret);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}
