using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Credentials;

internal sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public void Configure(EntityTypeBuilder<Credential> b)
    {
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Number).HasMaxLength(CredentialRules.MaxNumberLength);
        b.Property(x => x.Level).HasMaxLength(1);
        b.Property(x => x.Issuer).HasMaxLength(CredentialRules.MaxTextLength);
        b.Property(x => x.Scope).HasMaxLength(CredentialRules.MaxTextLength);
        b.Property(x => x.EvidenceReference).HasMaxLength(CredentialRules.MaxTextLength);
        b.Property(x => x.VerificationState).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.VerificationSource).HasMaxLength(120);
        b.Property(x => x.VerificationNote).HasMaxLength(1000);
        b.Property(x => x.SubmittedBy).HasMaxLength(100);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SupplierId, x.Type });
        b.HasIndex(x => x.VerificationState);
    }
}
