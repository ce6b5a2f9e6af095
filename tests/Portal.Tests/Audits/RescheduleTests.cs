using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.TestSupport;
using SupplierAssure.Workflows.Audits;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>
/// Rescheduling a confirmed visit through the pages: the supplier asks with a reason (a missing reason and a blackout
/// clash are refused and change nothing), the confirmation is withdrawn with a METHOD:CANCEL .ics to everyone invited,
/// the auditors accept a new time and a new invitation with a higher sequence follows; then the auditors move it in
/// turn. Each confirmed visit gets its reminder watch, keyed by the visit's start.
/// </summary>
public sealed partial class RescheduleTests : IDisposable
{
    private const string Auditor = "rita.auditor@operator.example";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task EitherSideReschedules_ConfirmationCancelledByIcs_SameClashRules_NewInviteOnReconfirmation()
    {
        await _portal.CreateUserAsync(Auditor, Roles.Auditor);
        using var auditor = await PortalSession.SignInAsync(_portal, Auditor);
        using var caldera = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);
        var auditId = await CreateAuditAsync(auditor, DemoData.CalderaSupplierId);
        Assert.Equal(HttpStatusCode.Redirect, (await ProposeAsync(auditor, auditId, (At(12, 9), At(12, 15)))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(caldera, auditId, await OpenSlotAsync(auditId))).StatusCode);
        var first = Assert.Single(Calendars(auditId), c => c.Method == "REQUEST" && c.To == Auditor);
        Assert.Contains(Calendars(auditId), c => c.Method == "REQUEST" && c.To == DemoData.OtherSupplierUserEmail);

        // Refused and nothing changes: no reason; a time on the supplier's own blackout days.
        using (var blackout = await caldera.PostFormAsync("/Audits/Blackouts?handler=Add", new Dictionary<string, string>
               {
                   ["From"] = Day(20), ["To"] = Day(21), ["Reason"] = "Plant shutdown",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, blackout.StatusCode);
        }

        using (var noReason = await RescheduleAsync(caldera, auditId, "", (At(14, 9), At(14, 15))))
        {
            Assert.Contains("Say why the visit has to move", await ErrorsAsync(noReason), StringComparison.Ordinal);
        }

        using (var clash = await RescheduleAsync(caldera, auditId, "Fire drill", (At(20, 9), At(20, 15))))
        {
            Assert.Contains("cannot host an audit from " + Day(20) + " to " + Day(21) + " (Plant shutdown)", await ErrorsAsync(clash), StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId);
            Assert.Equal((AuditState.Scheduled, Instant(12, 9)), (audit.State, audit.VisitStart));
        }

        Assert.DoesNotContain(Calendars(auditId), c => c.Method == "CANCEL");

        // The supplier moves the visit: the confirmation is withdrawn and everyone invited receives the cancellation.
        var (_, page) = await caldera.GetPageAsync($"/Audits/{auditId}");
        Assert.NotNull(page.QuerySelector("[data-testid=reschedule-form]"));
        using (var moved = await RescheduleAsync(caldera, auditId, "A fire drill is scheduled that day.", (At(14, 9), At(14, 15)), (At(15, 9), At(15, 15))))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId);
            Assert.Equal(AuditState.Scheduling, audit.State);
            Assert.Null(audit.VisitStart);
            var slots = await db.Set<AuditSlot>().AsNoTracking().Where(s => s.AuditId == auditId).OrderBy(s => s.Start).ToListAsync();
            Assert.Equal(new[] { SlotState.Cancelled, SlotState.Proposed, SlotState.Proposed }, slots.Select(s => s.State).ToArray());
            Assert.All(slots.Skip(1), s => Assert.True(s.ProposedBySupplier));
            Assert.Equal("Rescheduling: A fire drill is scheduled that day.", slots[1].Note);
        }

        var cancels = Calendars(auditId).Where(c => c.Method == "CANCEL").ToList();
        Assert.Equal(new[] { DemoData.OtherSupplierUserEmail, Auditor }.Order(), cancels.Select(c => c.To).Order());
        Assert.All(cancels, c =>
        {
            Assert.Contains("STATUS:CANCELLED", c.Text, StringComparison.Ordinal);
            Assert.Equal(first.Start, c.Start);
            Assert.True(c.Sequence > first.Sequence, $"cancellation sequence {c.Sequence} after request {first.Sequence}");
        });

        // Not confirmed any more: a second reschedule is refused; the auditors accept one of the new times.
        using (var again = await RescheduleAsync(caldera, auditId, "Again", (At(16, 9), At(16, 15))))
        {
            Assert.Contains("Only a confirmed visit can be rescheduled", await ErrorsAsync(again), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(auditor, auditId, await OpenSlotAsync(auditId, Instant(15, 9)))).StatusCode);
        var second = Calendars(auditId).Where(c => c.Method == "REQUEST" && c.To == Auditor).OrderBy(c => c.Sequence).Last();
        Assert.Equal(Instant(15, 9).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), second.Start);
        Assert.True(second.Sequence > cancels[0].Sequence);

        // Now the auditors move it; the supplier accepts. Each confirmed visit has its own reminder watch.
        using (var byAuditor = await RescheduleAsync(auditor, auditId, "The lead auditor is ill.", (At(18, 8), At(18, 14))))
        {
            Assert.Equal(HttpStatusCode.Redirect, byAuditor.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(caldera, auditId, await OpenSlotAsync(auditId))).StatusCode);
        Assert.Equal(2, Calendars(auditId).Count(c => c.Method == "CANCEL" && c.To == Auditor));
        await using (var db = _portal.CreateDbContext())
        {
            Assert.Equal(Instant(18, 8), (await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == auditId)).VisitStart);
            var watches = await db.Set<PersistedWorkflow>().AsNoTracking()
                .Where(w => w.WorkflowDefinitionId == VisitReminderWorkflow.DefinitionId && w.Reference != null && w.Reference.StartsWith(auditId.ToString("D")))
                .Select(w => w.Reference).ToListAsync();
            Assert.Equal(
                new[] { VisitReminders.Reference(auditId, Instant(12, 9)), VisitReminders.Reference(auditId, Instant(15, 9)), VisitReminders.Reference(auditId, Instant(18, 8)) }.Order(),
                watches.Order());
        }
    }

    private Task<HttpResponseMessage> RescheduleAsync(PortalSession session, Guid auditId, string reason, params (string Start, string End)[] slots)
    {
        var fields = new Dictionary<string, string> { ["Reason"] = reason };
        for (var i = 0; i < slots.Length; i++)
        {
            fields[$"Proposals[{i}].Start"] = slots[i].Start;
            fields[$"Proposals[{i}].End"] = slots[i].End;
        }

        return session.PostFormAsync($"/Audits/{auditId}?handler=Reschedule", fields);
    }

    private async Task<Guid> OpenSlotAsync(Guid auditId, DateTimeOffset? start = null)
    {
        await using var db = _portal.CreateDbContext();
        var open = await db.Set<AuditSlot>().AsNoTracking().Where(s => s.AuditId == auditId && s.State == SlotState.Proposed).ToListAsync();
        return open.Single(s => start is null || s.Start == start).Id;
    }

    private sealed record CalendarMail(string To, string Method, int Sequence, string Start, string Text);

    /// <summary>Every e-mailed calendar of the audit (by its UID) from the mail pickup folder.</summary>
    private List<CalendarMail> Calendars(Guid auditId)
    {
        var folder = Path.Combine(_portal.DataDirectory, "mail-pickup");
        var uid = $"UID:audit-{auditId:N}@supplierassure";
        var found = new List<CalendarMail>();
        if (!Directory.Exists(folder))
        {
            return found;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
        {
            using var message = MimeKit.MimeMessage.Load(file);
            foreach (var part in message.Attachments.OfType<MimeKit.MimePart>().Where(p => p.ContentType.MimeType == "text/calendar"))
            {
                using var content = new MemoryStream();
                part.Content!.DecodeTo(content);
                var text = System.Text.Encoding.UTF8.GetString(content.ToArray());
                if (text.Contains(uid, StringComparison.Ordinal))
                {
                    found.Add(new CalendarMail(
                        message.To.Mailboxes.Single().Address,
                        Method().Match(text).Groups[1].Value,
                        int.Parse(Sequence().Match(text).Groups[1].Value, CultureInfo.InvariantCulture),
                        Start().Match(text).Groups[1].Value,
                        text));
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"METHOD:(\S+)")]
    private static partial Regex Method();

    [GeneratedRegex(@"SEQUENCE:(\d+)")]
    private static partial Regex Sequence();

    [GeneratedRegex(@"DTSTART:(\S+)")]
    private static partial Regex Start();

    public void Dispose() => _portal.Dispose();
}
