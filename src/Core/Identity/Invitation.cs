using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Identity;

/// <summary>
/// An invitation for a supplier contact. Only the SHA-256 of the link's secret is stored, so a database reader
/// cannot accept invitations; the link works once, until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public required string Email { get; set; }
    public required string Role { get; set; }

    /// <summary>Lower-case hex SHA-256 of the secret in the link.</summary>
    public required string TokenHash { get; set; }

    public Guid InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedUserId { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("Invitations");
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.Role).HasMaxLength(64);
        builder.Property(i => i.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.SupplierId);
    }
}
