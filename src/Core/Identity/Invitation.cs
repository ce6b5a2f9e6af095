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

/// <summary>The secret in an invitation link and the hash under which it is stored.</summary>
public static class InvitationTokens
{
    /// <summary>256 random bits, base64url: unguessable and safe in a URL.</summary>
    public static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
    }
}
