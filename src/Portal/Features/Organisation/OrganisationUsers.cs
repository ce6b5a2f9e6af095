using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Features.Invitations;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Organisation;

public static class OrganisationFeature
{
    /// <summary>Audit kinds of a supplier admin's user management (role changes are security events).</summary>
    public const string RoleChanged = "role.changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";

    /// <summary>A supplier admin's page for the users of their own organisation, and the invitation use case it shares.</summary>
    public static IHostApplicationBuilder AddOrganisationFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SupplierInvitations>();
        builder.Services.AddScoped<OrganisationUsers>();
        return builder;
    }
}

public enum MemberStatus
{
    Active,

    /// <summary>Disabled by a supplier admin: no sign-in of any kind until re-enabled.</summary>
    Disabled,

    /// <summary>Locked for a while after too many failed sign-ins; it ends by itself.</summary>
    LockedOut,

    /// <summary>The address has not been proven yet, so the account cannot sign in.</summary>
    Unconfirmed,
}

public sealed record OrganisationMember(Guid Id, string Email, string DisplayName, string Role, MemberStatus Status, bool MfaEnrolled, bool Federated, DateTimeOffset? LockedUntil);

public sealed record PendingInvitation(Guid Id, string Email, string Role, DateTimeOffset ExpiresAt, string? ContactName = null);

/// <summary>Who is acting, for which organisation: both taken from the signed-in supplier admin's cookie.</summary>
public sealed record OrganisationActor(Guid UserId, Guid SupplierId);

/// <summary>
/// A supplier admin manages the users of their own organisation: lists them, changes a user between supplier admin
/// and contributor, disables and re-enables accounts. A user is found only when they belong to the actor's
/// organisation and that organisation is visible through the tenant-scoped context, so another organisation's user
/// (or an operator account) is "not found", exactly like a missing id. The organisation always keeps one active
/// supplier admin, and nobody disables their own account. Every change is written to the audit log.
/// </summary>
public sealed class OrganisationUsers(SupplierAssureDbContext db, UserManager<ApplicationUser> users, PortalAudit audit, TimeProvider clock)
{
    private const int Limit = 1000;

    public async Task<IReadOnlyList<OrganisationMember>> ListAsync(OrganisationActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var members = await MembersOf(actor).OrderBy(u => u.Email).Take(Limit)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                u.EmailConfirmed,
                u.TwoFactorEnabled,
                u.LockoutEnd,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
                Federated = db.UserLogins.Any(l => l.UserId == u.Id),
            })
            .ToListAsync(cancellationToken);
        return [.. members.Select(m => new OrganisationMember(
            m.Id, m.Email ?? string.Empty, m.DisplayName,
            m.Roles.Contains(Roles.SupplierAdmin) ? Roles.SupplierAdmin : m.Roles.Contains(Roles.SupplierContributor) ? Roles.SupplierContributor : "none",
            StatusOf(m.LockoutEnd, m.EmailConfirmed, now), m.TwoFactorEnabled, m.Federated,
            m.LockoutEnd is { } end && end > now && !AccountDisabling.IsDisabled(end) ? end : null))];
    }

    public async Task<IReadOnlyList<PendingInvitation>> PendingInvitationsAsync(OrganisationActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        // Invitations carry no query filter (acceptance is anonymous), so the organisation is narrowed here and
        // through the tenant-scoped supplier set, as for users. Expiry is compared in memory (SQLite cannot order
        // DateTimeOffset); an organisation's open invitations are few.
        var open = await db.Set<Invitation>().AsNoTracking()
            .Where(i => i.SupplierId == actor.SupplierId && i.AcceptedAt == null && db.Suppliers.Any(s => s.Id == i.SupplierId))
            .Take(Limit).ToListAsync(cancellationToken);
        return [.. open.Where(i => i.ExpiresAt > now).OrderBy(i => i.Email, StringComparer.OrdinalIgnoreCase)
            .Select(i => new PendingInvitation(i.Id, i.Email, i.Role, i.ExpiresAt, i.ContactName))];
    }

    public async Task<Outcome<ApplicationUser>> ChangeRoleAsync(OrganisationActor actor, Guid userId, string? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await FindMemberAsync(actor, userId, cancellationToken);
        if (user is null)
        {
            return Outcome<ApplicationUser>.From(Outcome.NotFound());
        }

        if (role is not (Roles.SupplierAdmin or Roles.SupplierContributor))
        {
            return Outcome<ApplicationUser>.From(Outcome.Invalid("Role", "Choose supplier admin or contributor."));
        }

        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return Outcome<ApplicationUser>.Ok(user);
        }

        if (role == Roles.SupplierContributor && current.Contains(Roles.SupplierAdmin) && !await AnotherActiveAdminAsync(actor, user.Id, cancellationToken))
        {
            return Outcome<ApplicationUser>.From(Outcome.Conflict($"{user.Email} is the organisation's only active supplier admin. Make another user an admin first."));
        }

        var previous = string.Join(',', current.Order(StringComparer.Ordinal));
        var toRemove = current.Where(r => r is Roles.SupplierAdmin or Roles.SupplierContributor && r != role).ToList();
        var saved = await InOneTransactionAsync(cancellationToken,
            () => users.RemoveFromRolesAsync(user, toRemove),
            () => current.Contains(role) ? Task.FromResult(IdentityResult.Success) : users.AddToRoleAsync(user, role),
            // A new stamp makes the user's open sessions pick up the new role at their next stamp validation.
            () => users.UpdateSecurityStampAsync(user));
        if (!saved)
        {
            return Outcome<ApplicationUser>.From(Outcome.Conflict(ChangedMeanwhile));
        }

        await audit.RecordAsync(OrganisationFeature.RoleChanged, $"user:{user.Id:D}", actor.SupplierId, cancellationToken,
            $"{user.Email}: {(previous.Length == 0 ? "none" : previous)} -> {role}");
        return Outcome<ApplicationUser>.Ok(user);
    }

    public async Task<Outcome<ApplicationUser>> SetDisabledAsync(OrganisationActor actor, Guid userId, bool disabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await FindMemberAsync(actor, userId, cancellationToken);
        if (user is null)
        {
            return Outcome<ApplicationUser>.From(Outcome.NotFound());
        }

        if (disabled)
        {
            if (user.Id == actor.UserId)
            {
                return Outcome<ApplicationUser>.From(Outcome.Conflict("You cannot disable your own account."));
            }

            if (AccountDisabling.IsDisabled(user))
            {
                return Outcome<ApplicationUser>.Ok(user);
            }

            if (await users.IsInRoleAsync(user, Roles.SupplierAdmin) && !await AnotherActiveAdminAsync(actor, user.Id, cancellationToken))
            {
                return Outcome<ApplicationUser>.From(Outcome.Conflict($"{user.Email} is the organisation's only active supplier admin. Make another user an admin first."));
            }

            var disabledNow = await InOneTransactionAsync(cancellationToken,
                () => users.SetLockoutEnabledAsync(user, true),
                () => users.SetLockoutEndDateAsync(user, AccountDisabling.DisabledUntil),
                // The new stamp ends the user's open sessions at their next stamp validation (see IdentityExtensions).
                () => users.UpdateSecurityStampAsync(user));
            if (!disabledNow)
            {
                return Outcome<ApplicationUser>.From(Outcome.Conflict(ChangedMeanwhile));
            }

            await audit.RecordAsync(OrganisationFeature.UserDisabled, $"user:{user.Id:D}", actor.SupplierId, cancellationToken, user.Email);
            return Outcome<ApplicationUser>.Ok(user);
        }

        if (user.LockoutEnd is null)
        {
            return Outcome<ApplicationUser>.Ok(user);
        }

        // Re-enabling also lifts a lockout after failed sign-ins: the admin vouches for the colleague.
        var enabled = await InOneTransactionAsync(cancellationToken,
            () => users.SetLockoutEndDateAsync(user, null),
            () => users.ResetAccessFailedCountAsync(user));
        if (!enabled)
        {
            return Outcome<ApplicationUser>.From(Outcome.Conflict(ChangedMeanwhile));
        }

        await audit.RecordAsync(OrganisationFeature.UserEnabled, $"user:{user.Id:D}", actor.SupplierId, cancellationToken, user.Email);
        return Outcome<ApplicationUser>.Ok(user);
    }

    /// <summary>The actor's organisation's users, through the tenant-scoped supplier set (the one enforcement point).</summary>
    private IQueryable<ApplicationUser> MembersOf(OrganisationActor actor) =>
        db.Users.Where(u => u.SupplierId == actor.SupplierId && db.Suppliers.Any(s => s.Id == u.SupplierId));

    private async Task<ApplicationUser?> FindMemberAsync(OrganisationActor actor, Guid userId, CancellationToken cancellationToken)
    {
        var user = await MembersOf(actor).SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        // Operator roles are never managed here; a supplier account holding one is not this page's to touch.
        var roles = await users.GetRolesAsync(user);
        return roles.Any(r => Roles.OperatorStaff.Contains(r)) ? null : user;
    }

    private async Task<bool> AnotherActiveAdminAsync(OrganisationActor actor, Guid exceptUserId, CancellationToken cancellationToken)
    {
        // Note: two admins demoting or disabling each other at the same moment could both pass this check and leave
        // the organisation without an admin; operator administrators can still restore one. A serialisable
        // transaction around every change would close it at the cost of lock contention on the users table.
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.SupplierAdmin).Select(r => r.Id).SingleAsync(cancellationToken);
        var lockouts = await MembersOf(actor).AsNoTracking()
            .Where(u => u.Id != exceptUserId && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == adminRoleId))
            .Select(u => new { u.LockoutEnd, u.EmailConfirmed })
            .ToListAsync(cancellationToken);
        return lockouts.Any(u => u.EmailConfirmed && !AccountDisabling.IsDisabled(u.LockoutEnd));
    }

    private static MemberStatus StatusOf(DateTimeOffset? lockoutEnd, bool emailConfirmed, DateTimeOffset now) =>
        AccountDisabling.IsDisabled(lockoutEnd) ? MemberStatus.Disabled
        : lockoutEnd is { } end && end > now ? MemberStatus.LockedOut
        : emailConfirmed ? MemberStatus.Active
        : MemberStatus.Unconfirmed;

    private const string ChangedMeanwhile = "Someone else changed this user at the same moment. Nothing was saved; look at the list again and retry.";

    /// <summary>
    /// Runs Identity's steps (each saves on its own) in one transaction of the shared scoped context, so a failure
    /// part-way (a concurrency-stamp clash) leaves the user as they were.
    /// </summary>
    private async Task<bool> InOneTransactionAsync(CancellationToken cancellationToken, params Func<Task<IdentityResult>>[] steps)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var step in steps)
        {
            var result = await step();
            if (!result.Succeeded)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
