using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Remediation;

/// <summary>
/// One effectiveness check of a corrective action, kept for good: the case itself holds only the latest note, so a
/// failed verification that reopened the case stays on record after a later one closes it.
/// </summary>
public sealed class RemediationVerification : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid RemediationId { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>The implementation round checked (0 for the first).</summary>
    public int Round { get; set; }
    public bool Effective { get; set; }
    public required string Note { get; set; }
    public Guid VerifiedBy { get; set; }
    public DateTimeOffset VerifiedAt { get; set; }
}

internal sealed class RemediationVerificationConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<RemediationVerification>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<RemediationVerification> b)
    {
        b.Property(x => x.Note).HasMaxLength(RemediationCase.MaxTextLength);
        b.HasOne<RemediationCase>().WithMany().HasForeignKey(x => x.RemediationId).OnDelete(Microsoft.EntityFrameworkCore.DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.RemediationId, x.VerifiedAt });
        b.HasIndex(x => x.SupplierId);
    }
}
