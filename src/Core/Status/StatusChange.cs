using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Status;

/// <summary>
/// One row of the status change feed: appended whenever a supplier's assurance status changes.
/// <see cref="Sequence"/> is monotonic and is the cursor partners resume a watch from.
/// </summary>
public sealed class StatusChange
{
    public long Sequence { get; set; }
    public Guid SupplierId { get; set; }
    public AssuranceStatus PreviousStatus { get; set; }
    public AssuranceStatus NewStatus { get; set; }
    public decimal? OverallScore { get; set; }
    public RiskRating RiskRating { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}
