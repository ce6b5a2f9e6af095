using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Incidents;

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> b)
    {
        b.Property(x => x.Category).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Grade).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Summary).HasMaxLength(ReportSecurityIncident.MaxSummaryLength);
        b.Property(x => x.ShipmentReference).HasMaxLength(ReportSecurityIncident.MaxShipmentReferenceLength);
        b.Property(x => x.ReportedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        // The Portal's review queue and a supplier's open findings by grade are read by these.
        b.HasIndex(x => new { x.State, x.Grade });
        b.HasIndex(x => new { x.SupplierId, x.State });
    }
}
