using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Tiering;

internal sealed class MaterialityAssessmentConfiguration : IEntityTypeConfiguration<MaterialityAssessment>
{
    public void Configure(EntityTypeBuilder<MaterialityAssessment> b)
    {
        b.Property(x => x.ValueAtRisk).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ThreatExposure).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.DisruptionConsequence).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RegulatorySensitivity).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.SubstitutionDifficulty).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ProposedTier).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Reasons).HasMaxLength(4000);
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SupplierId, x.AssessedAt });
    }
}

internal sealed class TierDecisionConfiguration : IEntityTypeConfiguration<TierDecision>
{
    public void Configure(EntityTypeBuilder<TierDecision> b)
    {
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.PreviousTier).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Justification).HasMaxLength(2000);
        b.HasOne<Suppliers.Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<MaterialityAssessment>().WithMany().HasForeignKey(x => x.MaterialityAssessmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SupplierId, x.DecidedAt });
    }
}

internal sealed class TierPolicyVersionConfiguration : IEntityTypeConfiguration<TierPolicyVersion>
{
    public void Configure(EntityTypeBuilder<TierPolicyVersion> b)
    {
        b.HasIndex(x => x.Version).IsUnique();
    }
}
