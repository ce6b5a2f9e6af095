using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Suppliers;

internal sealed class SupplierSiteConfiguration : IEntityTypeConfiguration<SupplierSite>
{
    public void Configure(EntityTypeBuilder<SupplierSite> b)
    {
        b.ToTable("SupplierSites");
        b.Property(x => x.Name).HasMaxLength(SupplierSite.MaxNameLength);
        b.Property(x => x.NormalizedName).HasMaxLength(SupplierSite.MaxNameLength);
        b.Property(x => x.Function).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.AddressLine1).HasMaxLength(SupplierSite.MaxAddressLength);
        b.Property(x => x.AddressLine2).HasMaxLength(SupplierSite.MaxAddressLength);
        b.Property(x => x.City).HasMaxLength(SupplierSite.MaxCityLength);
        b.Property(x => x.PostalCode).HasMaxLength(SupplierSite.MaxPostalCodeLength);
        b.Property(x => x.CountryCode).HasMaxLength(2).IsFixedLength();
        b.Property(x => x.Notes).HasMaxLength(SupplierSite.MaxNotesLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.IsRetired);
        b.HasOne<Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        // One name per supplier among the sites in use: a retired site's NormalizedName is null, and null keys do not
        // collide (SQLite allows many; SQL Server's unique index on a nullable column is filtered to non-null by EF).
        b.HasIndex(x => new { x.SupplierId, x.NormalizedName }).IsUnique();
    }
}
