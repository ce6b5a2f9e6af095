using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>Someone invited to a confirmed visit.</summary>
public sealed record InviteRecipient(string Email, string DisplayName, bool IsAuditor);

/// <summary>A confirmed visit as a calendar invitation, and who receives it.</summary>
public sealed record VisitInvitation(string FileName, string Calendar, string Subject, string Text, IReadOnlyList<InviteRecipient> Recipients);

/// <summary>
/// Builds the iCalendar (RFC 5545) invitation of a confirmed visit with Ical.Net: one event with a stable UID per
/// audit, so a calendar replaces rather than duplicates it when a later invite for the same audit arrives.
/// </summary>
public sealed class VisitInviteBuilder(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>The invitation of <paramref name="auditId"/>, or null when the audit is not visible or has no confirmed visit.</summary>
    public async Task<VisitInvitation?> BuildAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        if (audit?.VisitStart is not { } start || audit.VisitEnd is not { } end)
        {
            return null;
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var (recipients, lead) = await RecipientsAsync(audit, cancellationToken);
        var kind = Describe(audit.Type);
        var subject = $"{kind} of {supplier}: {SchedulingHandler.Describe(start, end)}";
        var text = $"The {kind.ToLowerInvariant()} of {supplier} is confirmed {SchedulingHandler.Describe(start, end)}.\n\n"
            + $"Objectives: {audit.Objectives}\n"
            + (audit.ScopeSites is null ? string.Empty : $"Sites: {audit.ScopeSites}\n")
            + (audit.ScopeProcesses is null ? string.Empty : $"Processes: {audit.ScopeProcesses}\n")
            + (audit.ScopeModes is null ? string.Empty : $"Transport modes: {audit.ScopeModes}\n")
            + $"ISO 28000 clauses: {audit.CriteriaClauses}\n\n"
            + $"The audit in the Portal: /Audits/{audit.Id:D}\n";
        var ics = Serialize(audit, supplier, "REQUEST", null, subject, text, start, end, recipients, lead);
        return new VisitInvitation($"audit-{audit.Id:N}.ics", ics, subject, text, recipients);
    }

    /// <summary>The start of the audit's confirmed visit, or null when it has none (or is not visible).</summary>
    public Task<DateTimeOffset?> VisitStartAsync(Guid auditId, CancellationToken cancellationToken) =>
        db.Set<SupplierAudit>().AsNoTracking().Where(a => a.Id == auditId).Select(a => a.VisitStart).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The cancellation (METHOD:CANCEL, same UID, a higher SEQUENCE) of the visit <paramref name="start"/> to
    /// <paramref name="end"/>, withdrawn for rescheduling, to the same people; null when the audit is not visible.
    /// </summary>
    public async Task<VisitInvitation?> BuildCancellationAsync(Guid auditId, DateTimeOffset start, DateTimeOffset end, string reason, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        if (audit is null)
        {
            return null;
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var (recipients, lead) = await RecipientsAsync(audit, cancellationToken);
        var kind = Describe(audit.Type);
        var subject = $"Cancelled: {kind} of {supplier} {SchedulingHandler.Describe(start, end)}";
        var text = $"The {kind.ToLowerInvariant()} of {supplier} planned {SchedulingHandler.Describe(start, end)} is withdrawn so that it can be rescheduled.\n\n"
            + $"Reason: {reason}\n\n"
            + "New times are proposed on the audit page; a new invitation follows once one of them is accepted.\n"
            + $"The audit in the Portal: /Audits/{audit.Id:D}\n";
        var ics = Serialize(audit, supplier, "CANCEL", "CANCELLED", subject, text, start, end, recipients, lead);
        return new VisitInvitation($"audit-{audit.Id:N}-cancelled.ics", ics, subject, text, recipients);
    }

    private async Task<(List<InviteRecipient> Recipients, InviteRecipient? Lead)> RecipientsAsync(SupplierAudit audit, CancellationToken cancellationToken)
    {
        var auditors = await (from member in db.Set<AuditTeamMember>().AsNoTracking()
                              join user in db.Users on member.UserId equals user.Id
                              where member.AuditId == audit.Id && member.Declaration == IndependenceDeclaration.Independent && user.Email != null
                              orderby member.IsLead descending, user.DisplayName
                              select new { user.Email, user.DisplayName, member.IsLead }).ToListAsync(cancellationToken);
        var contacts = await db.Users.AsNoTracking()
            .Where(u => u.SupplierId == audit.SupplierId && u.EmailConfirmed && u.Email != null)
            .OrderBy(u => u.Email)
            .Select(u => new { u.Email, u.DisplayName })
            .ToListAsync(cancellationToken);

        var recipients = auditors.Select(a => new InviteRecipient(a.Email!, a.DisplayName, true))
            .Concat(contacts.Select(c => new InviteRecipient(c.Email!, c.DisplayName, false)))
            .DistinctBy(r => r.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var lead = auditors.FirstOrDefault(a => a.IsLead);
        return (recipients, lead is null ? null : new InviteRecipient(lead.Email!, lead.DisplayName, true));
    }

    private string Serialize(SupplierAudit audit, string supplier, string method, string? status, string subject, string text,
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<InviteRecipient> recipients, InviteRecipient? lead)
    {
        var calendar = new Calendar { Method = method };
        var visit = new CalendarEvent
        {
            Uid = $"audit-{audit.Id:N}@supplierassure",
            Summary = subject,
            Description = text,
            Location = audit.Type == AuditType.OnSite ? audit.ScopeSites ?? supplier : "Remote session",
            Start = new CalDateTime(start.UtcDateTime),
            End = new CalDateTime(end.UtcDateTime),
            DtStamp = new CalDateTime(clock.GetUtcNow().UtcDateTime),
            // The sequence grows with each save of the audit (confirmation, cancellation, confirmation again), so each
            // message updates the calendar entry of the one before.
            Sequence = (int)Math.Min(audit.Version, int.MaxValue),
        };
        if (lead is not null)
        {
            visit.Organizer = new Organizer("mailto:" + lead.Email) { CommonName = lead.DisplayName };
        }

        foreach (var recipient in recipients)
        {
            visit.Attendees.Add(new Attendee("mailto:" + recipient.Email) { CommonName = recipient.DisplayName, Role = "REQ-PARTICIPANT", Rsvp = true });
        }

        if (status is not null)
        {
            visit.Status = status;
        }

        calendar.Events.Add(visit);
        return new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("The invitation could not be written.");
    }

    public static string Describe(AuditType type) => type switch
    {
        AuditType.DocumentReview => "Document review",
        AuditType.Remote => "Remote audit",
        AuditType.OnSite => "On-site audit",
        _ => "Follow-up verification",
    };
}
