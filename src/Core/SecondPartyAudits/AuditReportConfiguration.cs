using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.SecondPartyAudits;

internal sealed class AuditReportConfiguration : IEntityTypeConfiguration<AuditReport>
{
    public void Configure(EntityTypeBuilder<AuditReport> b)
    {
        b.Property(x => x.RevisionReason).HasMaxLength(SupplierAudit.MaxShortTextLength);
        b.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
        b.HasOne<SupplierAudit>().WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AuditId, x.Revision }).IsUnique();
        b.HasIndex(x => x.SupplierId);
    }
}
