using System.Net;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>
/// The scheduling handshake through the pages: proposals refused for a clash with the auditor's other confirmed
/// visit and for the supplier's blackout days (with the reason on the page), a counter-proposal by the supplier,
/// acceptance with the .ics download and e-mail, the calendar; and conflicts of interest blocking assignment.
/// </summary>
public sealed class AuditSchedulingTests : IDisposable
{
    private const string Auditor = "ana.auditor@operator.example";
    private const string OakridgeContact = "dock@oakridge.example";
    private readonly PortalFactory _portal = new();

    [Fact]
    public async Task Handshake_ClashAndBlackoutRefusedWithReason_SupplierCounterProposalAcceptedWithInvite()
    {
        await _portal.CreateUserAsync(Auditor, Roles.Auditor);
        await _portal.CreateUserAsync(OakridgeContact, Roles.SupplierContributor, DemoData.OakridgeSupplierId);
        using var auditor = await PortalSession.SignInAsync(_portal, Auditor);
        using var oakridge = await PortalSession.SignInAsync(_portal, OakridgeContact);
        using var caldera = await PortalSession.SignInAsync(_portal, DemoData.OtherSupplierUserEmail);

        // The auditor's other visit: Oakridge, day 10, 09:00-12:00, confirmed by Oakridge's contact.
        var oakridgeAudit = await CreateAuditAsync(auditor, DemoData.OakridgeSupplierId);
        using (var proposed = await ProposeAsync(auditor, oakridgeAudit, (At(10, 9), At(10, 12))))
        {
            Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        }

        using (var accepted = await AcceptAsync(oakridge, oakridgeAudit, await SlotAsync(oakridgeAudit, bySupplier: false)))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        // Caldera cannot host audits on days 20-22.
        using (var blackout = await caldera.PostFormAsync("/Audits/Blackouts?handler=Add", new Dictionary<string, string>
               {
                   ["From"] = Day(20), ["To"] = Day(22), ["Reason"] = "Annual stocktake",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, blackout.StatusCode);
        }

        var calderaAudit = await CreateAuditAsync(auditor, DemoData.CalderaSupplierId);
        using (var clash = await ProposeAsync(auditor, calderaAudit, (At(10, 10), At(10, 11)), (At(21, 9), At(21, 15))))
        {
            var errors = await ErrorsAsync(clash);
            Assert.Contains("already has a confirmed audit visit on " + Day(10) + " from 09:00 to 12:00 UTC", errors, StringComparison.Ordinal);
            Assert.Contains("cannot host an audit from " + Day(20) + " to " + Day(22) + " (Annual stocktake)", errors, StringComparison.Ordinal);
            // Another supplier's name never reaches the page through the clash reason.
            Assert.DoesNotContain("Oakridge", errors, StringComparison.Ordinal);
        }

        using (var past = await ProposeAsync(auditor, calderaAudit, (At(-1, 9), At(-1, 10))))
        {
            Assert.Contains("the start must be in the future", await ErrorsAsync(past), StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Set<AuditSlot>().AnyAsync(s => s.AuditId == calderaAudit), "A refused proposal saves no slot at all.");
        }

        using (var good = await ProposeAsync(auditor, calderaAudit, (At(12, 9), At(12, 17))))
        {
            Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        }

        // Caldera's contact sees the proposal with an Accept button, and answers with other times instead: its own
        // blackout is refused too, then day 13 is proposed.
        var (_, page) = await caldera.GetPageAsync($"/Audits/{calderaAudit}");
        Assert.NotNull(page.QuerySelector($"[data-testid=accept-{await SlotAsync(calderaAudit, bySupplier: false)}]"));
        using (var own = await ProposeAsync(caldera, calderaAudit, (At(22, 9), At(22, 12))))
        {
            Assert.Contains("Annual stocktake", await ErrorsAsync(own), StringComparison.Ordinal);
        }

        using (var counter = await ProposeAsync(caldera, calderaAudit, (At(13, 9), At(13, 15))))
        {
            Assert.Equal(HttpStatusCode.Redirect, counter.StatusCode);
        }

        // The supplier cannot accept its own proposal; the auditor can.
        var counterSlot = await SlotAsync(calderaAudit, bySupplier: true);
        using (var self = await AcceptAsync(caldera, calderaAudit, counterSlot))
        {
            Assert.Contains("you proposed this one", await ErrorsAsync(self), StringComparison.Ordinal);
        }

        using (var accept = await AcceptAsync(auditor, calderaAudit, counterSlot))
        {
            Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        }

        await using (var db = _portal.CreateDbContext())
        {
            var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == calderaAudit);
            Assert.Equal(AuditState.Scheduled, audit.State);
            Assert.Equal(Instant(13, 9), audit.VisitStart);
            Assert.Equal(Instant(13, 15), audit.VisitEnd);
            var states = await db.Set<AuditSlot>().AsNoTracking().Where(s => s.AuditId == calderaAudit).Select(s => s.State).ToListAsync();
            Assert.Equal(new[] { SlotState.Accepted, SlotState.Superseded }, states.Order().ToArray());
        }

        // The .ics for the supplier, and the e-mails with it to the auditor and to Caldera's contact.
        using (var ics = await caldera.Client.GetAsync(new Uri($"/Audits/{calderaAudit}?handler=Invite", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
            Assert.Equal("text/calendar", ics.Content.Headers.ContentType!.MediaType);
            var text = await ics.Content.ReadAsStringAsync();
            Assert.Contains("BEGIN:VEVENT", text, StringComparison.Ordinal);
            Assert.Contains($"DTSTART:{Instant(13, 9).UtcDateTime:yyyyMMdd'T'HHmmss}Z", text, StringComparison.Ordinal);
            Assert.Contains($"UID:audit-{calderaAudit:N}@supplierassure", text, StringComparison.Ordinal);
        }

        var invites = InvitesFor(calderaAudit);
        Assert.Contains(Auditor, invites);
        Assert.Contains(DemoData.OtherSupplierUserEmail, invites);

        // The auditor's calendar shows both visits in their weeks.
        var (_, week13) = await auditor.GetPageAsync($"/Audits/Calendar?week={Day(13)}");
        Assert.Contains("Caldera Components GmbH", week13.QuerySelector("[data-testid=calendar-week]")!.TextContent, StringComparison.Ordinal);
        var (_, week10) = await auditor.GetPageAsync($"/Audits/Calendar?week={Day(10)}");
        Assert.Contains("Oakridge Bonded Storage Ltd", week10.QuerySelector("[data-testid=calendar-week]")!.TextContent, StringComparison.Ordinal);

        // Another organisation's supplier user finds no such audit, nor its invitation.
        using var meridian = await PortalSession.SignInAsync(_portal, DemoData.SupplierUserEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await meridian.GetPageAsync($"/Audits/{calderaAudit}")).Response.StatusCode);
        using var foreignIcs = await meridian.Client.GetAsync(new Uri($"/Audits/{calderaAudit}?handler=Invite", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, foreignIcs.StatusCode);
    }

    [Fact]
    public async Task ConflictOfInterest_LeadRefusedAndMemberBlockedFromTheAudit()
    {
        const string Conflicted = "cole.auditor@operator.example";
        await _portal.CreateUserAsync(Auditor, Roles.Auditor);
        await _portal.CreateUserAsync(Conflicted, Roles.Auditor);
        using var conflicted = await PortalSession.SignInAsync(_portal, Conflicted);

        // Leading: a declared conflict refuses the audit and saves nothing.
        var path = $"/Audits/Create?supplierId={DemoData.CalderaSupplierId}";
        using (var refused = await conflicted.PostFormAsync(path, new Dictionary<string, string>
               {
                   ["SupplierId"] = DemoData.CalderaSupplierId.ToString(), ["Type"] = "Remote",
                   ["Objectives"] = "Check the access controls.", ["ScopeSites"] = "Stuttgart plant", ["CriteriaClauses"] = "8",
                   ["Declaration"] = "conflict", ["ConflictNote"] = "I worked for Caldera until last year.",
               }, tokenFrom: path))
        {
            Assert.Contains("declared a conflict of interest with Caldera Components GmbH", await ErrorsAsync(refused), StringComparison.Ordinal);
        }

        using (var undeclared = await conflicted.PostFormAsync(path, new Dictionary<string, string>
               {
                   ["SupplierId"] = DemoData.CalderaSupplierId.ToString(), ["Type"] = "Remote",
                   ["Objectives"] = "Check the access controls.", ["ScopeSites"] = "Stuttgart plant", ["CriteriaClauses"] = "8",
               }, tokenFrom: path))
        {
            Assert.Contains("Declare that you are independent", await ErrorsAsync(undeclared), StringComparison.Ordinal);
        }

        await using (var db = _portal.CreateDbContext())
        {
            Assert.False(await db.Set<SupplierAudit>().AnyAsync(a => a.SupplierId == DemoData.CalderaSupplierId));
        }

        // Joining: the lead asks; the auditor declares a conflict and stays off the audit.
        using var lead = await PortalSession.SignInAsync(_portal, Auditor);
        var auditId = await CreateAuditAsync(lead, DemoData.CalderaSupplierId);
        var conflictedId = await UserIdAsync(Conflicted);
        using (var added = await lead.PostFormAsync($"/Audits/{auditId}?handler=AddMember", new Dictionary<string, string> { ["AuditorId"] = conflictedId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        using (var noChoice = await conflicted.PostFormAsync($"/Audits/{auditId}?handler=Declare", new Dictionary<string, string>()))
        {
            Assert.Contains("Choose whether you are independent", await ErrorsAsync(noChoice), StringComparison.Ordinal);
        }

        using (var declared = await conflicted.PostFormAsync($"/Audits/{auditId}?handler=Declare", new Dictionary<string, string>
               {
                   ["Declaration"] = "conflict", ["Note"] = "My brother manages Caldera's logistics.",
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, declared.StatusCode);
        }

        var (_, details) = await conflicted.GetPageAsync($"/Audits/{auditId}");
        Assert.Contains("conflict of interest, not assigned", details.QuerySelector("[data-testid=team]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(details.QuerySelector("[data-testid=propose-form]"));

        // Blocked: no proposals, no checklist records, no findings; the run page is read-only for them.
        using (var propose = await ProposeAsync(conflicted, auditId, (At(12, 9), At(12, 12))))
        {
            Assert.Contains("Only auditors assigned to this audit", await ErrorsAsync(propose), StringComparison.Ordinal);
        }

        using (var step = await StepAsync(conflicted, auditId, 1, "Planted records."))
        {
            Assert.Contains("Only auditors assigned to this audit", await ErrorsAsync(step), StringComparison.Ordinal);
        }

        var (_, run) = await conflicted.GetPageAsync($"/Audits/{auditId}/Run");
        Assert.NotNull(run.QuerySelector("[data-testid=read-only]"));

        // A second declaration cannot turn the conflict into an assignment.
        using (var again = await conflicted.PostFormAsync($"/Audits/{auditId}?handler=Declare", new Dictionary<string, string> { ["Declaration"] = "independent" }))
        {
            Assert.Contains("You already declared", await ErrorsAsync(again), StringComparison.Ordinal);
        }

        await using var check = _portal.CreateDbContext();
        var member = await check.Set<AuditTeamMember>().AsNoTracking().SingleAsync(m => m.AuditId == auditId && m.UserId == conflictedId);
        Assert.Equal(IndependenceDeclaration.Conflict, member.Declaration);
        Assert.Equal("My brother manages Caldera's logistics.", member.DeclarationNote);
        Assert.False(await check.Set<AuditSlot>().AnyAsync(s => s.AuditId == auditId));
        Assert.Null((await check.Set<AuditStep>().AsNoTracking().SingleAsync(s => s.AuditId == auditId && s.Number == 1)).Records);
    }

    private async Task<Guid> SlotAsync(Guid auditId, bool bySupplier)
    {
        await using var db = _portal.CreateDbContext();
        return await db.Set<AuditSlot>().Where(s => s.AuditId == auditId && s.ProposedBySupplier == bySupplier && s.State == SlotState.Proposed)
            .Select(s => s.Id).SingleAsync();
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = _portal.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    /// <summary>Who received an e-mail carrying the audit's calendar invitation as a text/calendar attachment.</summary>
    private List<string> InvitesFor(Guid auditId)
    {
        var folder = Path.Combine(_portal.DataDirectory, "mail-pickup");
        var uid = $"UID:audit-{auditId:N}@supplierassure";
        var recipients = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
        {
            using var message = MimeKit.MimeMessage.Load(file);
            foreach (var part in message.Attachments.OfType<MimeKit.MimePart>().Where(p => p.ContentType.MimeType == "text/calendar"))
            {
                using var content = new MemoryStream();
                part.Content!.DecodeTo(content);
                if (System.Text.Encoding.UTF8.GetString(content.ToArray()).Contains(uid, StringComparison.Ordinal))
                {
                    recipients.Add(message.To.Mailboxes.Single().Address);
                }
            }
        }

        return recipients;
    }

    public void Dispose() => _portal.Dispose();
}
