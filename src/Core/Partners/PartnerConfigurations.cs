using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Partners;

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> b)
    {
        // The key itself is the guard: a concurrent retry's insert fails on it.
        b.HasKey(x => new { x.ClientId, x.Key });
        b.Property(x => x.ClientId).HasMaxLength(100);
        b.Property(x => x.Key).HasMaxLength(IdempotencyKey.MaxKeyLength);
        b.Property(x => x.Operation).HasMaxLength(50);
        b.Property(x => x.RequestHash).HasMaxLength(64).IsFixedLength();
        b.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class PartnerAccessConfiguration : IEntityTypeConfiguration<PartnerAccess>
{
    public void Configure(EntityTypeBuilder<PartnerAccess> b)
    {
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.ClientId).HasMaxLength(100);
        b.Property(x => x.Operation).HasMaxLength(50);
        b.HasIndex(x => new { x.SupplierId, x.AccessedAt });
    }
}
