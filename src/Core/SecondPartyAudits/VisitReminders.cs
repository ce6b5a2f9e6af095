using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>Whether the visit is still ahead as confirmed, when to look again, and the keys of what was sent now.</summary>
public sealed record VisitReminderCheck(bool Open, DateTimeOffset? NextMoment, IReadOnlyList<string> Notified);

/// <summary>
/// Reminders before a confirmed visit, at the workflow policy's reminder offsets (<see cref="WorkflowPolicy.ReminderDaysBefore"/>,
/// 7 and 1 days in the shipped policy) with the policy version the watch started with: one in-app notification (and
/// its e-mail) to the audited supplier's users and one to each assigned auditor. Keys name the audit, the visit start
/// and the offset, so a step run again after a restart finds them and sends nothing twice; a moved visit has a new
/// start, hence new keys. Offsets whose moment had already passed when the visit was confirmed are skipped (the
/// invitation has just gone out); of several passed together (an engine that was down) only the latest is sent.
/// </summary>
public sealed class VisitReminders(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>The workflow reference of the watch of one confirmed visit: the audit and the visit's start.</summary>
    public static string Reference(Guid auditId, DateTimeOffset visitStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{auditId:D}@{visitStart.UtcDateTime:yyyyMMdd'T'HHmm'Z'}");

    public static string KeyPrefix(Guid auditId, DateTimeOffset visitStart, int days) =>
        string.Create(CultureInfo.InvariantCulture, $"audit-visit:{auditId:N}:{visitStart.UtcDateTime:yyyyMMddHHmm}:reminder-{days}d");

    public async Task<VisitReminderCheck> CheckAsync(Guid auditId, DateTimeOffset visitStart, int policyVersion, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        var now = clock.GetUtcNow();
        // Cancelled, moved (another start: that visit has a watch of its own), begun, or passed: nothing more to remind.
        if (audit is null || audit.VisitStart != visitStart || audit.VisitEnd is not { } visitEnd || audit.State != AuditState.Scheduled || now >= visitStart)
        {
            return new VisitReminderCheck(false, null, []);
        }

        var policy = await new WorkflowPolicyStore(db, clock).GetAsync(policyVersion, cancellationToken);
        var confirmedAt = audit.VisitConfirmedAt ?? DateTimeOffset.MinValue;
        var moments = policy.ReminderDaysBefore
            .Where(days => days > 0)
            .Distinct()
            .Select(days => (Days: days, At: visitStart.AddDays(-days)))
            .Where(m => m.At > confirmedAt)
            .OrderBy(m => m.At)
            .ToList();
        var due = moments.LastOrDefault(m => m.At <= now);
        var next = moments.FirstOrDefault(m => m.At > now) is { Days: > 0 } upcoming ? upcoming.At : visitStart;
        if (due.Days == 0)
        {
            return new VisitReminderCheck(true, next, []);
        }

        var prefix = KeyPrefix(auditId, visitStart, due.Days);
        if (await NotificationOutbox.ExistsAsync(db, prefix + ":supplier", cancellationToken))
        {
            return new VisitReminderCheck(true, next, []);
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var team = await db.Set<AuditTeamMember>().AsNoTracking()
            .Where(m => m.AuditId == auditId && m.Declaration == IndependenceDeclaration.Independent)
            .OrderBy(m => m.UserId)
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);
        var kind = VisitInviteBuilder.Describe(audit.Type);
        var when = SchedulingHandler.Describe(visitStart, visitEnd);
        var inDays = due.Days == 1 ? "tomorrow" : string.Create(CultureInfo.InvariantCulture, $"in {due.Days} days");
        var place = audit.Type == AuditType.OnSite ? $" at {audit.ScopeSites ?? "your site"}" : string.Empty;
        var link = $"/Audits/{auditId:D}";
        var keys = new List<string>();
        NotificationOutbox.Add(db, new NotificationDraft(
            prefix + ":supplier", NotificationKind.Reminder,
            $"Reminder: {kind.ToLowerInvariant()} {inDays}, {when}",
            $"The operator's {kind.ToLowerInvariant()} of {supplier}{place} is confirmed {when}. Objectives: {audit.Objectives} "
                + "Please have the people and records for the agreed scope available. If the time no longer works, propose new times with a reason on the audit page.",
            link, audit.SupplierId, audit.SupplierId, null, visitStart, workflowInstanceId), now);
        keys.Add(prefix + ":supplier");
        foreach (var userId in team)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}:user-{userId:N}");
            NotificationOutbox.Add(db, new NotificationDraft(
                key, NotificationKind.Reminder,
                $"Reminder: {kind.ToLowerInvariant()} of {supplier} {inDays}, {when}",
                $"You are on the team of the {kind.ToLowerInvariant()} of {supplier}{place}, confirmed {when}. Check the plan (step 3), the evidence requests and the offline workbook before you go.",
                link, audit.SupplierId, null, null, visitStart, workflowInstanceId) { AudienceUserId = userId }, now);
            keys.Add(key);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // An earlier run (before a restart, or another process) stored them between the look above and this save.
            db.ChangeTracker.Clear();
            if (!await NotificationOutbox.ExistsAsync(db, prefix + ":supplier", cancellationToken))
            {
                throw;
            }

            return new VisitReminderCheck(true, next, []);
        }

        return new VisitReminderCheck(true, next, keys);
    }
}
