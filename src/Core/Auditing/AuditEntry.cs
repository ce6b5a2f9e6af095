using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Auditing;

/// <summary>
/// One entry of the append-only audit log. <see cref="Hash"/> covers every other field and the previous entry's
/// hash, so editing, removing or reordering an entry breaks the chain from that entry on.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>1, 2, 3, ... without gaps; the primary key, so two writers cannot both append entry n.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
    public required string Kind { get; set; }
    public Guid? ActorId { get; set; }
    public string? Actor { get; set; }
    public Guid? SupplierId { get; set; }
    public string? Subject { get; set; }
    public string? Details { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasMaxLength(64);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Subject).HasMaxLength(256);
        builder.Property(e => e.Details).HasMaxLength(2000);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(e => e.OccurredAt);
        // The supplier page's timeline: a supplier's newest entries.
        builder.HasIndex(e => new { e.SupplierId, e.Sequence });
    }
}
