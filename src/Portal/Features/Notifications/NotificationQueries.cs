using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Notifications;

/// <summary>Which notifications a signed-in person sees: their organisation's (supplier users) or their roles' (operator staff).</summary>
public static class NotificationQueries
{
    public static IQueryable<Notification> For(SupplierAssureDbContext db, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var notifications = db.Set<Notification>().AsNoTracking();
        if (Guid.TryParse(user.FindFirstValue(PortalClaims.SupplierId), out var supplierId))
        {
            // The tenant filter already limits a supplier to its own organisation's notifications; this says so too.
            // One addressed to a single user of the organisation (a section assigned to them) is theirs alone.
            var supplierUserId = UserId(user);
            return notifications.Where(n => n.AudienceSupplierId == supplierId && (n.AudienceUserId == null || n.AudienceUserId == supplierUserId));
        }

        var roles = Roles.OperatorStaff.Where(user.IsInRole).ToList();
        var userId = UserId(user);
        return notifications.Where(n => (n.AudienceRole != null && roles.Contains(n.AudienceRole)) || (n.AudienceUserId != null && n.AudienceUserId == userId));
    }

    public static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>How many of the person's notifications they have not marked read.</summary>
    public static Task<int> UnreadCountAsync(SupplierAssureDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = UserId(user) ?? Guid.Empty;
        return For(db, user).CountAsync(n => !db.Set<NotificationRead>().Any(r => r.NotificationId == n.Id && r.UserId == userId), cancellationToken);
    }
}
