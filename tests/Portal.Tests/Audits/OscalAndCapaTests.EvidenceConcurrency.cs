using System.Net;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>Evidence requests under concurrent edits, on the follow-up fixture's Portal.</summary>
public sealed partial class OscalAndCapaTests
{
    private const string CalderaColleague = "ines.colleague@caldera.example";

    [Fact]
    public async Task EvidenceRequests_TwoColleaguesAnswerAtOnce_AndAnAnswerCrossingTheAuditorsChange_AreRefusedWithTheTextKept()
    {
        var (auditId, _) = await fixture.ArrangeReleasedAuditAsync();
        var page = $"/Audits/{auditId}";
        await Colleagues.EnsureAsync(Portal, DemoData.CalderaSupplierId, CalderaColleague, "Ines Vogel (Caldera)");
        using var lead = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Lead);
        using var first = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);
        using var second = await PortalSession.SignInAsync(Portal, CalderaColleague);
        await RequestEvidenceAsync(lead, page, "physical", "Gate access logs of week 19.");

        // Both colleagues open the page before either answers; the first answer is saved, the second is refused.
        var firstForm = AnswerForm(await OpenRequestAsync(first, page));
        var secondForm = AnswerForm(await OpenRequestAsync(second, page));
        using (var sent = await PostMultipartAsync(first, firstForm.Action, page, ("AnswerText", "Logs of week 19 attached."), ("BaseVersion", firstForm.Version), ("Files", "gate-log-w19.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        using (var late = await PostMultipartAsync(second, secondForm.Action, page, ("AnswerText", "Here are the gate logs you asked for."), ("BaseVersion", secondForm.Version), ("Files", "gate-log-copy.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
            var request = Assert.Single(PortalSession.Parse(await late.Content.ReadAsStringAsync()).QuerySelectorAll("[data-testid=evidence-request]"));
            Assert.Contains("answered already", request.QuerySelector("[data-testid=evidence-conflict]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Logs of week 19 attached.", request.QuerySelector("[data-testid=evidence-response]")!.TextContent);
            Assert.Equal("Here are the gate logs you asked for.", request.QuerySelector("[data-testid=unsent-answer]")!.TextContent);
        }

        await using (var db = Portal.CreateDbContext())
        {
            var saved = await db.Set<EvidenceRequest>().AsNoTracking().SingleAsync(r => r.AuditId == auditId);
            Assert.Equal("Logs of week 19 attached.", saved.Response);
            Assert.Equal(["gate-log-w19.pdf"], await db.Set<AuditFile>().AsNoTracking().Where(f => f.EvidenceRequestId == saved.Id).Select(f => f.FileName).ToListAsync());
        }

        // The auditor rewords a second request while the supplier is answering the old wording: the answer is refused,
        // the new wording is shown with the supplier's text still in the form, and sending it again goes through.
        await RequestEvidenceAsync(lead, page, "cargo", "The seal register for May.");
        var stale = AnswerForm(await OpenRequestAsync(first, page, "Cargo and transport"));
        var change = (await OpenRequestAsync(lead, page, "Cargo and transport")).QuerySelector("[data-testid=change-request-form]")!;
        using (var changed = await lead.PostFormAsync(change.GetAttribute("action")!, new Dictionary<string, string>
               {
                   ["ChangeDetails"] = "The seal register for May and June.",
                   ["BaseVersion"] = change.QuerySelector("input[name=BaseVersion]")!.GetAttribute("value")!,
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        IElement refused;
        using (var crossed = await PostMultipartAsync(first, stale.Action, page, ("AnswerText", "May register attached."), ("BaseVersion", stale.Version), ("Files", "seals-may.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.OK, crossed.StatusCode);
            refused = PortalSession.Parse(await crossed.Content.ReadAsStringAsync()).QuerySelectorAll("[data-testid=evidence-request]")
                .Single(r => r.QuerySelector("[data-testid=evidence-category]")!.TextContent == "Cargo and transport");
        }

        Assert.Contains("The auditors changed this request after you opened it", refused.QuerySelector("[data-testid=evidence-conflict]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("The seal register for May and June.", refused.QuerySelector("[data-testid=evidence-details]")!.TextContent);
        Assert.Equal("May register attached.", refused.QuerySelector("[data-testid=answer-form] textarea[name=AnswerText]")!.TextContent);
        var fresh = AnswerForm(refused);
        Assert.NotEqual(stale.Version, fresh.Version);
        await using (var db = Portal.CreateDbContext())
        {
            var open = await db.Set<EvidenceRequest>().AsNoTracking().SingleAsync(r => r.AuditId == auditId && r.Category == "cargo");
            Assert.Equal(EvidenceRequestState.Open, open.State);
            Assert.False(await db.Set<AuditFile>().AnyAsync(f => f.EvidenceRequestId == open.Id));
        }

        using (var again = await PostMultipartAsync(first, fresh.Action, page, ("AnswerText", "May and June registers attached."), ("BaseVersion", fresh.Version), ("Files", "seals-may-june.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        // The auditor's change made on the page read before that answer is refused in turn; the answer stands.
        using (var tooLate = await lead.PostFormAsync(change.GetAttribute("action")!, new Dictionary<string, string>
               {
                   ["ChangeDetails"] = "Only June, please.",
                   ["BaseVersion"] = change.QuerySelector("input[name=BaseVersion]")!.GetAttribute("value")!,
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.OK, tooLate.StatusCode);
            var row = PortalSession.Parse(await tooLate.Content.ReadAsStringAsync()).QuerySelectorAll("[data-testid=evidence-request]")
                .Single(r => r.QuerySelector("[data-testid=evidence-category]")!.TextContent == "Cargo and transport");
            Assert.Contains("The supplier has answered this request", row.QuerySelector("[data-testid=evidence-conflict]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("May and June registers attached.", row.QuerySelector("[data-testid=evidence-response]")!.TextContent);
        }
    }

    private static async Task RequestEvidenceAsync(PortalSession lead, string page, string category, string details)
    {
        using var asked = await lead.PostFormAsync($"{page}?handler=RequestEvidence", new Dictionary<string, string> { ["Category"] = category, ["Details"] = details, ["DueOn"] = Day(7) });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
    }

    private static async Task<IElement> OpenRequestAsync(PortalSession session, string page, string category = "Physical security")
    {
        var (_, document) = await session.GetPageAsync(page);
        return document.QuerySelectorAll("[data-testid=evidence-request]").Single(r => r.QuerySelector("[data-testid=evidence-category]")!.TextContent == category);
    }

    private static (string Action, string Version) AnswerForm(IElement request)
    {
        var form = request.QuerySelector("[data-testid=answer-form]")!;
        return (form.GetAttribute("action")!, form.QuerySelector("input[name=BaseVersion]")!.GetAttribute("value")!);
    }
}
