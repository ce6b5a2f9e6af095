using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Evidence;

internal sealed class EvidenceDocumentConfiguration : IEntityTypeConfiguration<EvidenceDocument>
{
    public void Configure(EntityTypeBuilder<EvidenceDocument> b)
    {
        b.Property(x => x.Title).HasMaxLength(EvidenceDocument.TitleMaxLength);
        b.Property(x => x.Category).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SupplierId, x.Title });
    }
}

internal sealed class EvidenceVersionConfiguration : IEntityTypeConfiguration<EvidenceVersion>
{
    public void Configure(EntityTypeBuilder<EvidenceVersion> b)
    {
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(120);
        b.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.StorageKey).HasMaxLength(64);
        b.HasOne<EvidenceDocument>().WithMany().HasForeignKey(x => x.DocumentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.DocumentId, x.Number }).IsUnique();
        // One stored file per version: the bytes are shared by every question that links the version, never copied.
        b.HasIndex(x => x.StorageKey).IsUnique();
        b.HasIndex(x => x.SupplierId);
    }
}

/// <summary>The library side of a question's evidence row (the rest is in Data/EntityConfigurations.cs): the version it shows and its document.</summary>
internal sealed class EvidenceFileLibraryConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.HasOne<EvidenceVersion>().WithMany().HasForeignKey(f => f.VersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EvidenceDocument>().WithMany().HasForeignKey(f => f.DocumentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.DocumentId, f.AssessmentId });
    }
}
