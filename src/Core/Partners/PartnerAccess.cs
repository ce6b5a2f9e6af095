using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Partners;

/// <summary>
/// One read of a supplier's data by a partner client: the supplier can see who read what and when (issue 6), and
/// the operator can answer for every disclosure made under a consent.
/// </summary>
public sealed class PartnerAccess : ISupplierOwned
{
    public long Id { get; set; }
    public Guid SupplierId { get; set; }
    public required string ClientId { get; set; }
    /// <summary>The gateway operation, e.g. "GetSecurityStatus".</summary>
    public required string Operation { get; set; }
    public DateTimeOffset AccessedAt { get; set; }
}
