using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Notifications;

namespace SupplierAssure.Portal.Features.Notifications;

public sealed record NotificationItem(Guid Id, NotificationKind Kind, string Subject, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, bool Read);

/// <summary>The signed-in person's reminders and escalations, newest first, with a way to mark them read.</summary>
[Authorize]
public sealed class IndexModel(SupplierAssureDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<NotificationItem> Items { get; private set; } = [];

    public int Unread { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var userId = NotificationQueries.UserId(User) ?? Guid.Empty;
        Items = await NotificationQueries.For(db, User)
            .OrderByDescending(n => n.CreatedAt)
            .Take(PageSize)
            .Select(n => new NotificationItem(n.Id, n.Kind, n.Subject, n.Body, n.Link, n.CreatedAt, n.DueAt,
                db.Set<NotificationRead>().Any(r => r.NotificationId == n.Id && r.UserId == userId)))
            .ToListAsync(cancellationToken);
        Unread = Items.Count(i => !i.Read);
    }

    /// <summary>Marks every notification the person can see as read by them.</summary>
    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        if (NotificationQueries.UserId(User) is not { } userId)
        {
            return Forbid();
        }

        var unread = await NotificationQueries.For(db, User)
            .Where(n => !db.Set<NotificationRead>().Any(r => r.NotificationId == n.Id && r.UserId == userId))
            .Select(n => n.Id)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        db.Set<NotificationRead>().AddRange(unread.Select(id => new NotificationRead { NotificationId = id, UserId = userId, ReadAt = now }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same person marked them read in another tab at the same moment; the outcome is the same.
        }

        return RedirectToPage();
    }
}
