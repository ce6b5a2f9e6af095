using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Delegation;

/// <summary>
/// One section of one assessment given to a colleague of the same organisation to answer. At most one per section;
/// reassigning changes <see cref="AssigneeId"/>, unassigning removes the row. It does not lock the section: anyone of
/// the organisation may still answer it (see docs/decisions.md, 2026-11-30).
/// </summary>
public sealed class SectionAssignment : ISupplierOwned
{
    public const int SectionMaxLength = 120;

    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }

    /// <summary>The section heading, as the template's questions carry it (unique within a published template version).</summary>
    public required string Section { get; set; }

    /// <summary>The supplier user who answers the section.</summary>
    public Guid AssigneeId { get; set; }

    public Guid AssignedBy { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}
