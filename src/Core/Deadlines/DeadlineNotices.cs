using System.Globalization;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.Deadlines;

/// <summary>A reminder or escalation that is due now, named by a key unique to its deadline and occurrence.</summary>
public sealed record DueNotice(string Key, NotificationKind Kind, int? DaysBefore, DateTimeOffset Moment);

/// <summary>What is due now about one deadline, and when to look again.</summary>
public sealed record DeadlinePlan(DueNotice? Due, DateTimeOffset? NextMoment);

/// <summary>
/// The timetable around one deadline: a reminder at each of the policy's offsets before it, one escalation the
/// policy's delay after it. Pure, so the rule is tested without a clock or a database.
/// </summary>
public static class DeadlineNotices
{
    /// <summary>
    /// The latest moment that has passed decides what is due: once the escalation moment has passed only the
    /// escalation is sent, and of several reminders passed together (an engine that was down) only the latest.
    /// The caller skips a notice whose key is already stored.
    /// </summary>
    public static DeadlinePlan Plan(string keyPrefix, DateTimeOffset dueAt, WorkflowPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var moments = policy.ReminderDaysBefore
            .Select(days => new DueNotice(
                string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}:reminder-{days}d"), NotificationKind.Reminder, days, dueAt.AddDays(-days)))
            .Append(new DueNotice($"{keyPrefix}:escalation", NotificationKind.Escalation, null, dueAt.AddDays(policy.EscalationDaysAfter)))
            .OrderBy(m => m.Moment)
            .ToList();
        var due = moments.LastOrDefault(m => m.Moment <= now);
        var next = moments.FirstOrDefault(m => m.Moment > now)?.Moment;
        return new DeadlinePlan(due, next);
    }

    public static string Describe(DateTimeOffset dueAt) => dueAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
