using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Notifications;

public enum NotificationKind
{
    Reminder,
    Escalation,
    Information,
}

/// <summary>
/// A message to people, shown in the Portal and sent by e-mail. Addressed either to a supplier organisation (its users
/// see it) or to an operator role. <see cref="Key"/> names the occurrence that caused it (for example "the 7-day
/// reminder of remediation X's action plan") and is unique in the database, so a step that runs again after a restart
/// cannot notify twice.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public required string Key { get; set; }
    public NotificationKind Kind { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>A Portal path ("/Remediation/…") to act on it, when there is one.</summary>
    public string? Link { get; set; }
    /// <summary>The supplier the notification is about, for filters; not who sees it.</summary>
    public Guid? SupplierId { get; set; }
    /// <summary>Set when the notification is for the users of this supplier organisation.</summary>
    public Guid? AudienceSupplierId { get; set; }
    /// <summary>Set when the notification is for operator staff in this role.</summary>
    public string? AudienceRole { get; set; }
    /// <summary>
    /// Set when the notification is for one operator user (for example an audit's team members), or, together with
    /// <see cref="AudienceSupplierId"/>, for one user of that supplier organisation (a section assigned to them).
    /// </summary>
    public Guid? AudienceUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The deadline the notification is about, when it has one.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>When the e-mail went out (claimed before sending; see <see cref="NotificationMailer"/>).</summary>
    public DateTimeOffset? EmailedAt { get; set; }
    public string? WorkflowInstanceId { get; set; }

    public const int MaxKeyLength = 200;
    public const int MaxSubjectLength = 300;
    public const int MaxBodyLength = 4000;
}

/// <summary>That one user has seen a notification (the unread count in the Inbox).</summary>
public sealed class NotificationRead
{
    public Guid NotificationId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>What a notification says and to whom, before it is stored.</summary>
public sealed record NotificationDraft(
    string Key,
    NotificationKind Kind,
    string Subject,
    string Body,
    string? Link,
    Guid? SupplierId,
    Guid? AudienceSupplierId,
    string? AudienceRole,
    DateTimeOffset? DueAt,
    string? WorkflowInstanceId)
{
    /// <summary>One operator user the notification is for, instead of a supplier organisation or a role.</summary>
    public Guid? AudienceUserId { get; init; }
}

public static class NotificationOutbox
{
    /// <summary>True when a notification with this key was already stored (its effect happened before).</summary>
    public static Task<bool> ExistsAsync(SupplierAssureDbContext db, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<Notification>().AsNoTracking().AnyAsync(n => n.Key == key, cancellationToken);
    }

    /// <summary>
    /// Adds the notification to the context; the caller saves it in the same transaction as the change it announces.
    /// If that save fails on the unique key, the change had already been made by an earlier run.
    /// </summary>
    public static Notification Add(SupplierAssureDbContext db, NotificationDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        // One user of a supplier organisation carries both ids, so the tenant filter on the organisation still applies.
        var supplierUser = draft.AudienceSupplierId is not null && draft.AudienceUserId is not null && draft.AudienceRole is null;
        if (!supplierUser && (draft.AudienceSupplierId is null ? 0 : 1) + (draft.AudienceRole is null ? 0 : 1) + (draft.AudienceUserId is null ? 0 : 1) != 1)
        {
            throw new ArgumentException("A notification is for one of: a supplier organisation, one of its users, an operator role or one operator user.", nameof(draft));
        }

        var notification = new Notification
        {
            Id = Guid.NewGuid(),
            Key = draft.Key,
            Kind = draft.Kind,
            Subject = Truncate(draft.Subject, Notification.MaxSubjectLength),
            Body = Truncate(draft.Body, Notification.MaxBodyLength),
            Link = draft.Link,
            SupplierId = draft.SupplierId,
            AudienceSupplierId = draft.AudienceSupplierId,
            AudienceRole = draft.AudienceRole,
            AudienceUserId = draft.AudienceUserId,
            CreatedAt = now,
            DueAt = draft.DueAt,
            WorkflowInstanceId = draft.WorkflowInstanceId,
        };
        db.Set<Notification>().Add(notification);
        return notification;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
