namespace SupplierAssure.Core.Demo;

/// <summary>Well-known identities of the demo data, shared by the seeders, the README and the tests.</summary>
public static class DemoData
{
    public static readonly Guid OperatorId = Guid.Parse("0b1e6a52-6f0e-4d1a-9d53-6b8f5a000001");
    public static readonly Guid MeridianSupplierId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000001");
    public static readonly Guid CalderaSupplierId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000002");
    public static readonly Guid MeridianAssessmentId = Guid.Parse("9e4f0c3b-1a2d-4c5e-9f60-7a8b9c000001");
    public static readonly Guid CalderaAssessmentId = Guid.Parse("9e4f0c3b-1a2d-4c5e-9f60-7a8b9c000002");
    /// <summary>A Tier 1 carrier and warehouse operator: gets the whole question bank.</summary>
    public static readonly Guid NorthgateSupplierId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000003");
    public static readonly Guid NorthgateAssessmentId = Guid.Parse("9e4f0c3b-1a2d-4c5e-9f60-7a8b9c000003");
    /// <summary>A Tier 2 warehouse: gets the core set.</summary>
    public static readonly Guid OakridgeSupplierId = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000004");
    public static readonly Guid OakridgeAssessmentId = Guid.Parse("9e4f0c3b-1a2d-4c5e-9f60-7a8b9c000004");

    public const string MeridianLei = "529900MERIDIAN000175";
    public const string CalderaLei = "529900CALDERA0000291";
    public const string NorthgateLei = "724500NORTHGATE00043";
    public const string OakridgeLei = "635400OAKRIDGE000112";

    public const string SupplierUserEmail = "supplier@meridian.example";
    public const string OtherSupplierUserEmail = "supplier@caldera.example";
    public const string ProcurementUserEmail = "procurement@operator.example";

    /// <summary>Northgate's claimed e-mail domain and the upstream provider it routes to (the demo IdP of scripts/run.sh).</summary>
    public const string NorthgateDomain = "northgate.example";
    public const string NorthgateProviderName = "northgate";

    /// <summary>OAuth client id of the demo partner system; it may read Meridian's status only.</summary>
    public const string PartnerClientId = "demo-partner";

    public const string SeedName = "demo-v1";
    public const string IdentitySeedName = "demo-identity-v1";
}
