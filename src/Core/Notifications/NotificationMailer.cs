using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Notifications;

/// <summary>Sends one plain-text e-mail. The Portal adapts its account e-mail sender (SMTP or a pickup folder) to it.</summary>
public interface INotificationEmailSender
{
    Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken);
}

/// <summary>
/// Sends the e-mail copy of stored notifications to every confirmed user of the audience (the supplier's users, or the
/// operator staff in the role). A notification is claimed (EmailedAt set by a conditional update) before it is sent,
/// so two processes never both send it and a restart does not send it again.
/// </summary>
// Note: claim-then-send means a process that dies between the claim and the send loses that e-mail (the in-app
// notification stays, and it is the record). The other order would send twice after such a crash; the issue asks
// for no duplicates. A send that fails with an exception releases the claim, so it is tried again.
public sealed class NotificationMailer(IDbContextFactory<SupplierAssureDbContext> contexts, INotificationEmailSender sender, TimeProvider clock)
{
    public async Task<int> SendPendingAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.EmailedAt == null)
            .OrderBy(n => n.CreatedAt)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var notification in pending)
        {
            var now = clock.GetUtcNow();
            var claimed = await db.Set<Notification>()
                .Where(n => n.Id == notification.Id && n.EmailedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            try
            {
                foreach (var address in await RecipientsAsync(db, notification, cancellationToken))
                {
                    await sender.SendAsync(address, notification.Subject, BodyOf(notification), cancellationToken);
                }
            }
            catch (Exception)
            {
                await db.Set<Notification>()
                    .Where(n => n.Id == notification.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailedAt, (DateTimeOffset?)null), CancellationToken.None);
                throw;
            }

            sent++;
        }

        return sent;
    }

    /// <summary>The confirmed e-mail addresses the notification goes to.</summary>
    public static async Task<IReadOnlyList<string>> RecipientsAsync(SupplierAssureDbContext db, Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notification);
        var users = db.Users.AsNoTracking().Where(u => u.EmailConfirmed && u.Email != null);
        if (notification.AudienceSupplierId is { } supplierId)
        {
            users = users.Where(u => u.SupplierId == supplierId);
            if (notification.AudienceUserId is { } supplierUserId)
            {
                users = users.Where(u => u.Id == supplierUserId);
            }
        }
        else if (notification.AudienceUserId is { } userId)
        {
            users = users.Where(u => u.SupplierId == null && u.Id == userId);
        }
        else
        {
            var role = notification.AudienceRole;
            var inRole = from ur in db.Set<IdentityUserRole<Guid>>()
                         join r in db.Roles on ur.RoleId equals r.Id
                         where r.Name == role
                         select ur.UserId;
            users = users.Where(u => u.SupplierId == null && inRole.Contains(u.Id));
        }

        return await users.OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken);
    }

    private static string BodyOf(Notification notification) =>
        notification.Link is null ? notification.Body : $"{notification.Body}\n\nOpen it in SupplierAssure: {notification.Link}";
}
