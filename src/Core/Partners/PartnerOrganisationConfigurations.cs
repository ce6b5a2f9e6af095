using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Partners;

internal sealed class PartnerOrganisationConfiguration : IEntityTypeConfiguration<PartnerOrganisation>
{
    public void Configure(EntityTypeBuilder<PartnerOrganisation> b)
    {
        b.Property(x => x.Name).HasMaxLength(PartnerOrganisation.MaxNameLength);
        b.Property(x => x.ContactEmail).HasMaxLength(256);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasMany(x => x.Clients).WithOne(c => c.PartnerOrganisation).HasForeignKey(c => c.PartnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PartnerClientConfiguration : IEntityTypeConfiguration<PartnerClient>
{
    public void Configure(EntityTypeBuilder<PartnerClient> b)
    {
        b.HasKey(x => x.ClientId);
        b.Property(x => x.ClientId).HasMaxLength(PartnerClient.MaxClientIdLength);
        b.Property(x => x.DisplayName).HasMaxLength(PartnerOrganisation.MaxNameLength);
        b.Property(x => x.Authentication).HasConversion<string>().HasMaxLength(20);
        b.Ignore(x => x.IsDisabled);
    }
}
