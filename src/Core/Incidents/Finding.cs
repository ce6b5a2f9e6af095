using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Incidents;

/// <summary>What kind of security incident a finding records.</summary>
public enum IncidentCategory
{
    Theft = 1,
    Tampering = 2,
    SealBreach = 3,
    Cyber = 4,
    Other = 5,
}

/// <summary>How serious a finding is; decides how fast the operator must review it.</summary>
public enum FindingGrade
{
    Minor = 1,
    Major = 2,
    Critical = 3,
}

public enum FindingState
{
    /// <summary>Recorded; waiting for an operator reviewer.</summary>
    Open = 1,
    UnderReview = 2,
    Closed = 3,
}

/// <summary>
/// Something the operator must look into about a supplier. Partners create them by reporting security incidents;
/// a reviewer in the Portal takes them from <see cref="FindingState.Open"/>.
/// </summary>
public sealed class Finding : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public IncidentCategory Category { get; set; }
    public FindingGrade Grade { get; set; }
    public FindingState State { get; set; } = FindingState.Open;
    public required string Summary { get; set; }
    /// <summary>The shipment concerned, when the incident was about one (e.g. a container or waybill number).</summary>
    public string? ShipmentReference { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>The OAuth client id of the partner system that reported it.</summary>
    public required string ReportedBy { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public long Version { get; set; }
}
