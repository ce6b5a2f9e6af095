namespace SupplierAssure.PartnerGateway;

/// <summary>
/// Names the gateway's entry assembly for <c>WebApplicationFactory&lt;PartnerGatewayApp&gt;</c>. Test projects
/// reference both hosts, and each has a top-level <c>Program</c>, so tests cannot name either by that.
/// </summary>
public sealed class PartnerGatewayApp;
