using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Status;

internal sealed class SupplierOpenFindingsConfiguration : IEntityTypeConfiguration<SupplierOpenFindings>
{
    public void Configure(EntityTypeBuilder<SupplierOpenFindings> b)
    {
        b.ToTable("SupplierOpenFindings");
        b.HasKey(x => x.SupplierId);
        b.HasOne<Suppliers.Supplier>().WithOne().HasForeignKey<SupplierOpenFindings>(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
    }
}
