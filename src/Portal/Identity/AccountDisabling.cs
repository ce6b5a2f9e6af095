using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Identity;

/// <summary>
/// A disabled account is an Identity lockout that never ends, so every sign-in path that honours lockout
/// (password, two-factor, federated, invitation linking) refuses it without a separate flag. Only a supplier admin
/// (or a direct database change) lifts it; a password reset does not.
/// </summary>
public static class AccountDisabling
{
    /// <summary>
    /// Far beyond any lockout after failed attempts (15 minutes), and exact in every store: SQLite keeps instants
    /// through a binary converter that does not round-trip <see cref="DateTimeOffset.MaxValue"/>.
    /// </summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsDisabled(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IsDisabled(user.LockoutEnd);
    }

    public static bool IsDisabled(DateTimeOffset? lockoutEnd) => lockoutEnd >= DisabledUntil;
}
