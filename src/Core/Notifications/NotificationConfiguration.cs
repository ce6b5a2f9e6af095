using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(x => x.Key).HasMaxLength(Notification.MaxKeyLength);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Subject).HasMaxLength(Notification.MaxSubjectLength);
        b.Property(x => x.Body).HasMaxLength(Notification.MaxBodyLength);
        b.Property(x => x.Link).HasMaxLength(300);
        b.Property(x => x.AudienceRole).HasMaxLength(64);
        b.Property(x => x.WorkflowInstanceId).HasMaxLength(64);
        // The guarantee against a second reminder after a restart: one row per occurrence.
        b.HasIndex(x => x.Key).IsUnique();
        b.HasIndex(x => new { x.AudienceSupplierId, x.CreatedAt });
        b.HasIndex(x => new { x.AudienceRole, x.CreatedAt });
        b.HasIndex(x => new { x.AudienceUserId, x.CreatedAt });
        b.HasIndex(x => x.EmailedAt);
    }
}

internal sealed class NotificationReadConfiguration : IEntityTypeConfiguration<NotificationRead>
{
    public void Configure(EntityTypeBuilder<NotificationRead> b)
    {
        b.HasKey(x => new { x.NotificationId, x.UserId });
        b.HasOne<Notification>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.UserId);
    }
}
