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

    /// <summary>The invited person's name as procurement or a colleague gave it (checked by <see cref="ContactNames"/>); null on invitations made before names were asked for.</summary>
    public string? ContactName { get; set; }

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
        builder.Property(i => i.ContactName).HasMaxLength(ContactNames.MaxLength);
        builder.Property(i => i.Role).HasMaxLength(64);
        builder.Property(i => i.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.SupplierId);
    }
}

/// <summary>
/// The one rule for the name of an invited contact, shared by the bulk import, the invitation forms and the API:
/// trimmed, at most <see cref="MaxLength"/> characters, and no control characters (tabs, line breaks, NUL) or
/// bidirectional overrides, which would break the e-mail greeting and lists or make a name display as something else.
/// </summary>
public static class ContactNames
{
    public const int MaxLength = 200;

    /// <summary>Null when <paramref name="value"/> is an acceptable name (then <paramref name="name"/> is it trimmed); otherwise what is wrong.</summary>
    /// <param name="required">When false, an empty value is accepted and gives a null <paramref name="name"/>.</param>
    public static string? Check(string? value, bool required, out string? name)
    {
        name = null;
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return required ? "Enter the contact's name." : null;
        }

        if (trimmed.Length > MaxLength)
        {
            return $"The contact's name is longer than {MaxLength} characters.";
        }

        for (var i = 0; i < trimmed.Length; i++)
        {
            if (IsRefused(trimmed[i]))
            {
                return $"The contact's name contains a control character (such as a tab or a line break) at position {i + 1}; remove it.";
            }
        }

        name = trimmed;
        return null;
    }

    // Note: C0/C1 controls and the line/paragraph separators could split an e-mail header or greeting line; the
    // bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) can make a name read as another
    // text. Joiners and direction marks stay allowed: names in several scripts need them.
    private static bool IsRefused(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
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
