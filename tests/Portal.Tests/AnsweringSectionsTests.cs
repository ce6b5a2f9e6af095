using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Delegation;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>One Portal for the answering page's section progress, delegation and "Add from library" tests.</summary>
public sealed class AnsweringSectionsFixture : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public Guid ColleagueId { get; private set; }

    public async Task InitializeAsync() => ColleagueId = await Colleagues.EnsureAsync(Portal, DemoData.MeridianSupplierId);

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

/// <summary>
/// Each test works on its own questionnaire: the progress test on Oakridge's (Tier 2, where a question appears only
/// after another's answer), delegation and the library on Meridian's, in separate sections and questions.
/// </summary>
public sealed partial class AnsweringSectionsTests(AnsweringSectionsFixture fixture) : IClassFixture<AnsweringSectionsFixture>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% policy\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly string MeridianPath = $"/Assessments/{DemoData.MeridianAssessmentId}";

    [Fact]
    public async Task Progress_BySection_CountsWhatSubmitDemandsHidesConditionalQuestionsAndMovesWithAutosave()
    {
        // Meridian's questionnaire asked at Tier 2, by a supplier that is no carrier: the transport questions (shown
        // to carriers, forwarders and logistics firms) and CGO-04 (shown once CGO-03 says sea freight) are not asked.
        await using (var db = fixture.Portal.CreateDbContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.OakridgeAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier2Significant));
            await db.Suppliers.Where(s => s.Id == DemoData.OakridgeSupplierId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Roles, SupplyChainRoles.Manufacturer));
        }

        var oakridge = await fixture.Portal.CreateUserAsync("answers@oakridge.example", Core.Identity.Roles.SupplierAdmin, DemoData.OakridgeSupplierId);
        Assert.NotEqual(Guid.Empty, oakridge);
        using var session = await PortalSession.SignInAsync(fixture.Portal, "answers@oakridge.example");
        var path = $"/Assessments/{DemoData.OakridgeAssessmentId}";
        var (_, page) = await session.GetPageAsync(path);
        var overview = Overview(page);
        Assert.NotEmpty(overview);
        var total = overview.Values.Sum(p => p.Required);
        Assert.Equal($"0 of {total}", page.QuerySelector("[data-testid=progress-total]")!.TextContent);
        var cargo = overview.Single(p => p.Key.Name == "Cargo and conveyance security").Key;
        var transport = overview.Keys.Single(k => k.Name == "Transport and route security");

        // Submitting now lists exactly what is missing: as many questions as the overview counts, none hidden.
        using var submitted = await new AssessmentForm().PostAsync(session, DemoData.OakridgeAssessmentId, "Submit");
        var refused = PortalSession.Parse(await submitted.Content.ReadAsStringAsync());
        var missing = refused.QuerySelectorAll("fieldset.question p.error").Select(p => p.TextContent).Where(t => t.StartsWith("Answer question", StringComparison.Ordinal)).ToList();
        Assert.Equal(total, missing.Count);
        string[] hidden = ["CGO-04", "TRN-01", "TRN-02", "TRN-03", "TRN-04", "TRN-05", "TRN-06"];
        Assert.DoesNotContain(missing, m => hidden.Any(code => m.Contains(code, StringComparison.Ordinal)));
        Assert.Equal(missing.Count(m => m.Contains("TRN-", StringComparison.Ordinal)), overview[transport].Required);

        // The heading carries the same count as the overview, without script.
        Assert.Equal(Words(overview[cargo]), page.QuerySelector($"[data-testid=heading-progress-{cargo.Anchor}]")!.TextContent.Trim());

        // Sea freight: CGO-03 (unscored, so not itself required) makes CGO-04 appear, so the section needs one more answer;
        // answering CGO-04 then moves the count. Each autosave returns the section's new figures.
        var before = overview[cargo];
        Assert.Equal((before.Answered, before.Required + 1), CargoCount(await AutosaveAsync(session, path, ("CGO-03", "sea"))));
        Assert.Equal((before.Answered + 1, before.Required + 1), CargoCount(await AutosaveAsync(session, path, ("CGO-04", "yes"))));

        (int, int) CargoCount(JsonElement saved)
        {
            var p = saved.GetProperty("progress").EnumerateArray().Single(p => p.GetProperty("anchor").GetString() == cargo.Anchor);
            return (p.GetProperty("answered").GetInt32(), p.GetProperty("required").GetInt32());
        }

        // The Sections page lists the transport section while a manufacturer is asked some of it (TRN-07 on), and leaves
        // it out, saying so, once every one of its questions is for carriers, forwarders and logistics firms only (the
        // bank changed here for this check and put back at once).
        var (_, sectionsPage) = await session.GetPageAsync($"{path}/Sections");
        Assert.Contains(transport.Name, sectionsPage.QuerySelectorAll("[data-testid=section-row]").Select(r => r.GetAttribute("data-section")));
        Assert.Null(sectionsPage.QuerySelector("[data-testid=nothing-asked]"));
        const SupplyChainRoles movers = SupplyChainRoles.Carrier | SupplyChainRoles.Forwarder | SupplyChainRoles.Logistics;
        string[] openToAll = ["TRN-07", "TRN-08", "TRN-09", "TRN-10"];
        await using (var db = fixture.Portal.CreateDbContext())
        {
            await db.TemplateQuestions.Where(q => openToAll.Contains(q.Code)).ExecuteUpdateAsync(s => s.SetProperty(q => q.ShowWhenSupplierRoles, movers));
        }

        try
        {
            (_, sectionsPage) = await session.GetPageAsync($"{path}/Sections");
            var rows = sectionsPage.QuerySelectorAll("[data-testid=section-row]").Select(r => r.GetAttribute("data-section")).ToList();
            Assert.DoesNotContain(transport.Name, rows);
            Assert.Contains(cargo.Name, rows);
            Assert.Contains(transport.Name, sectionsPage.QuerySelector("[data-testid=nothing-asked]")!.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await using var db = fixture.Portal.CreateDbContext();
            await db.TemplateQuestions.Where(q => openToAll.Contains(q.Code)).ExecuteUpdateAsync(s => s.SetProperty(q => q.ShowWhenSupplierRoles, SupplyChainRoles.None));
        }

        // And the server-rendered page agrees after a reload.
        var (_, reloaded) = await session.GetPageAsync(path);
        Assert.Equal((before.Answered + 1, before.Required + 1), Overview(reloaded)[cargo]);
        Assert.Equal($"1 of {total + 1}", reloaded.QuerySelector("[data-testid=progress-total]")!.TextContent);
    }

    [Fact]
    public async Task Delegation_AdminAssignsColleague_NotifiedOnHomeAndSection_CrossOrganisationRefused_ReassignedUnassignedAuditedAndPreviousAssigneeTold()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        using var ana = await PortalSession.SignInAsync(fixture.Portal, Colleagues.MeridianColleagueEmail);
        var sectionsPath = $"{MeridianPath}/Sections";
        var (_, sectionsPage) = await sam.GetPageAsync(sectionsPath);
        var section = sectionsPage.QuerySelectorAll("[data-testid=section-row]").Select(r => r.GetAttribute("data-section")!).First(s => s == "Leadership");
        var choices = sectionsPage.QuerySelectorAll("[data-testid=assignee] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(fixture.ColleagueId.ToString(), choices);
        Guid calderaUser;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            calderaUser = await db.Users.Where(u => u.Email == DemoData.OtherSupplierUserEmail).Select(u => u.Id).SingleAsync();
        }

        Assert.DoesNotContain(calderaUser.ToString(), choices);

        // Another organisation's user, planted in the form: refused with a message, nothing stored or sent.
        using (var planted = await sam.PostFormAsync($"{sectionsPath}?handler=Assign", new Dictionary<string, string> { ["Sections"] = section, ["AssigneeId"] = calderaUser.ToString() }))
        {
            Assert.Equal(HttpStatusCode.OK, planted.StatusCode);
            Assert.Contains("Choose an active colleague of your organisation.", await planted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Without the anti-forgery token: refused before anything runs.
        using (var noToken = await sam.Client.PostAsync(new Uri($"{sectionsPath}?handler=Assign", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Sections"] = section, ["AssigneeId"] = fixture.ColleagueId.ToString() })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }

        // A contributor may look but not assign.
        using (var byContributor = await ana.PostFormAsync($"{sectionsPath}?handler=Assign", new Dictionary<string, string> { ["Sections"] = section, ["AssigneeId"] = fixture.ColleagueId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, byContributor.StatusCode);
            Assert.Contains("/Account/AccessDenied", byContributor.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.False(await db.Set<SectionAssignment>().AnyAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId));
            Assert.False(await db.Set<Notification>().AnyAsync(n => n.Key.StartsWith("section-assigned:")));
        }

        using (var assigned = await sam.PostFormAsync($"{sectionsPath}?handler=Assign", new Dictionary<string, string> { ["Sections"] = section, ["AssigneeId"] = fixture.ColleagueId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var row = await db.Set<SectionAssignment>().SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId);
            Assert.Equal((section, fixture.ColleagueId), (row.Section, row.AssigneeId));
            var notice = await db.Set<Notification>().SingleAsync(n => n.Key.StartsWith("section-assigned:"));
            Assert.Equal((DemoData.MeridianSupplierId, fixture.ColleagueId), (notice.AudienceSupplierId, notice.AudienceUserId));
            Assert.StartsWith(MeridianPath + "#section-", notice.Link, StringComparison.Ordinal);
            // The e-mail copy goes to the colleague alone, not to the whole organisation.
            Assert.Equal(new[] { Colleagues.MeridianColleagueEmail }, await NotificationMailer.RecipientsAsync(db, notice, CancellationToken.None));
            var audit = await db.Set<AuditEntry>().Where(e => e.Kind == "assessment.section-assigned").SingleAsync();
            Assert.Contains(Colleagues.MeridianColleagueName, audit.Details, StringComparison.Ordinal);
            Assert.Equal(DemoData.MeridianSupplierId, audit.SupplierId);
        }

        // Ana: the notification, "Assigned to you" on her home page and on the section; Sam sees who has it, not the notice.
        var (_, anaNotifications) = await ana.GetPageAsync("/Notifications");
        Assert.Contains("Assigned to you: 1 section(s)", anaNotifications.Body!.TextContent, StringComparison.Ordinal);
        var (_, samNotifications) = await sam.GetPageAsync("/Notifications");
        Assert.DoesNotContain("Assigned to you: 1 section(s)", samNotifications.Body!.TextContent, StringComparison.Ordinal);
        var (_, anaHome) = await ana.GetPageAsync("/");
        var item = Assert.Single(anaHome.QuerySelectorAll("[data-testid=assigned-item]"));
        Assert.Contains(section, item.TextContent, StringComparison.Ordinal);
        var anchor = item.QuerySelector("a")!.GetAttribute("href")!.Split('#')[1];
        var (_, anaPage) = await ana.GetPageAsync(MeridianPath);
        Assert.StartsWith("Assigned to you", anaPage.QuerySelector($"[data-testid=owner-{anchor}]")!.TextContent.Trim(), StringComparison.Ordinal);
        var (_, samPage) = await sam.GetPageAsync(MeridianPath);
        Assert.StartsWith($"Assigned to {Colleagues.MeridianColleagueName}", samPage.QuerySelector($"[data-testid=owner-{anchor}]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty((await sam.GetPageAsync("/")).Document.QuerySelectorAll("[data-testid=assigned-item]"));

        // No lock: Sam still answers a question of Ana's section.
        var leadership = await AutosaveAsync(sam, MeridianPath, ("LEAD-01", "yes"));
        Assert.Equal("saved", leadership.GetProperty("status").GetString());

        // Sam reassigns it from Ana to Cleo, then unassigns it: both audited with who had it before. Ana, who loses
        // the section, is told the way Cleo, who gets it, is (a notice to her alone and its e-mail copy); so is Cleo
        // when it is unassigned; Sam, who made the changes, gets no notice of them.
        var cleoId = await Colleagues.EnsureAsync(fixture.Portal, DemoData.MeridianSupplierId, CleoEmail, "Cleo Brandt (Meridian Freight)");
        using (var reassigned = await sam.PostFormAsync($"{sectionsPath}?handler=Assign", new Dictionary<string, string> { ["Sections"] = section, ["AssigneeId"] = cleoId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reassigned.StatusCode);
        }

        Assert.Empty((await ana.GetPageAsync("/")).Document.QuerySelectorAll("[data-testid=assigned-item]"));
        var (_, anaTold) = await ana.GetPageAsync("/Notifications");
        Assert.Contains("No longer assigned to you: 1 section(s)", anaTold.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("over to Cleo Brandt (Meridian Freight)", anaTold.Body!.TextContent, StringComparison.Ordinal);
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var taken = await db.Set<Notification>().SingleAsync(n => n.Key.StartsWith("section-unassigned:"));
            Assert.Equal((DemoData.MeridianSupplierId, fixture.ColleagueId), (taken.AudienceSupplierId, taken.AudienceUserId));
            Assert.StartsWith(MeridianPath + "#section-", taken.Link, StringComparison.Ordinal);
            Assert.Equal(new[] { Colleagues.MeridianColleagueEmail }, await NotificationMailer.RecipientsAsync(db, taken, CancellationToken.None));
            var given = (await db.Set<Notification>().Where(n => n.Key.StartsWith("section-assigned:")).ToListAsync()).OrderBy(n => n.CreatedAt).ToList();
            Assert.Equal(new Guid?[] { fixture.ColleagueId, cleoId }, given.Select(n => n.AudienceUserId));
            Assert.Equal(new[] { CleoEmail }, await NotificationMailer.RecipientsAsync(db, given[1], CancellationToken.None));
        }

        using (var unassigned = await sam.PostFormAsync($"{sectionsPath}?handler=Unassign", new Dictionary<string, string> { ["Sections"] = section }))
        {
            Assert.Equal(HttpStatusCode.Redirect, unassigned.StatusCode);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal(new Guid?[] { fixture.ColleagueId, cleoId }, (await db.Set<Notification>().Where(n => n.Key.StartsWith("section-unassigned:")).ToListAsync())
                .OrderBy(n => n.CreatedAt).Select(n => n.AudienceUserId));
            var samId = await UserIdAsync(DemoData.SupplierUserEmail);
            Assert.False(await db.Set<Notification>().AnyAsync(n => n.AudienceUserId == samId));
            Assert.False(await db.Set<SectionAssignment>().AnyAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId));
            var kinds = await db.Set<AuditEntry>().Where(e => e.Kind.StartsWith("assessment.section-")).OrderBy(e => e.Sequence).Select(e => new { e.Kind, e.Details }).ToListAsync();
            Assert.Equal(new[] { "assessment.section-assigned", "assessment.section-assigned", "assessment.section-unassigned" }, kinds.Select(k => k.Kind));
            Assert.Contains($"was {Colleagues.MeridianColleagueName}", kinds[1].Details, StringComparison.Ordinal);
        }
    }

    private const string CleoEmail = "cleo.colleague@meridian.example";

    [Fact]
    public async Task AddFromLibrary_LinksTheDocumentsStoredVersionToAnotherQuestion_NoCopy_AndRefusesAnotherOrganisationsDocument()
    {
        using var sam = await PortalSession.SignInAsync(fixture.Portal, DemoData.SupplierUserEmail);
        using (var uploaded = await new AssessmentForm().Answer("CTX-01", "yes").Attach("CTX-01", "context-review.pdf", Pdf).PostAsync(sam, DemoData.MeridianAssessmentId, "Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        using var caldera = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        using (var calderaUpload = await new AssessmentForm().Answer("CTX-01", "yes").Attach("CTX-01", "caldera-only.pdf", Pdf).PostAsync(caldera, DemoData.CalderaAssessmentId, "Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, calderaUpload.StatusCode);
        }

        // "Add from library" saves the form first (the answer typed next to it is kept), then opens the picker.
        using (var opened = await new AssessmentForm().Answer("PLAN-01", "3").PostAsync(sam, DemoData.MeridianAssessmentId, "Library&question=PLAN-02"))
        {
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
            Assert.Equal($"{MeridianPath}/Library?question=PLAN-02", opened.Headers.Location!.OriginalString);
        }

        Guid documentId, calderaDocument;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            Assert.Equal("3", (await db.Answers.SingleAsync(a => a.AssessmentId == DemoData.MeridianAssessmentId && a.QuestionCode == "PLAN-01")).Value);
            documentId = (await db.EvidenceFiles.SingleAsync(f => f.AssessmentId == DemoData.MeridianAssessmentId && f.QuestionCode == "CTX-01")).DocumentId!.Value;
            calderaDocument = (await db.EvidenceFiles.SingleAsync(f => f.AssessmentId == DemoData.CalderaAssessmentId && f.FileName == "caldera-only.pdf")).DocumentId!.Value;
        }

        var picker = $"{MeridianPath}/Library?question=PLAN-02";
        var (_, pickerPage) = await sam.GetPageAsync(picker);
        Assert.Equal("PLAN-02", pickerPage.QuerySelector("[data-testid=question-code]")!.TextContent);
        var listed = pickerPage.QuerySelectorAll("[data-testid=library-document]").Select(r => r.GetAttribute("data-document-id")).ToList();
        Assert.Contains(documentId.ToString(), listed);
        Assert.DoesNotContain(calderaDocument.ToString(), listed);

        // Caldera's document id, planted: not found in Meridian's library, nothing linked.
        using (var foreign = await sam.PostFormAsync(picker, new Dictionary<string, string> { ["documentId"] = calderaDocument.ToString() }))
        {
            Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
            Assert.Contains("That document is not in your organisation", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var linked = await sam.PostFormAsync(picker, new Dictionary<string, string> { ["documentId"] = documentId.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
            Assert.Equal($"{MeridianPath}#question-PLAN-02", linked.Headers.Location!.OriginalString);
        }

        await using (var db = fixture.Portal.CreateDbContext())
        {
            var rows = await db.EvidenceFiles.Where(f => f.DocumentId == documentId).OrderBy(f => f.QuestionCode).ToListAsync();
            Assert.Equal(new[] { "CTX-01", "PLAN-02" }, rows.Select(r => r.QuestionCode));
            Assert.Single(rows.Select(r => (r.VersionId, r.StorageKey)).Distinct()); // one stored version, shared
            Assert.Equal(1, await db.EvidenceVersions.CountAsync(v => v.DocumentId == documentId));
            Assert.False(await db.EvidenceFiles.AnyAsync(f => f.AssessmentId == DemoData.MeridianAssessmentId && f.DocumentId == calderaDocument));
            Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Kind == "evidence.linked" && e.Subject == $"evidence:{documentId:D}" && e.Details!.Contains("PLAN-02")));
        }

        var (_, page) = await sam.GetPageAsync(MeridianPath);
        Assert.Contains("context-review.pdf", page.QuerySelector("[data-testid=evidence-PLAN-02]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid=library-PLAN-02]"));

        // A second time: the picker says it is already there and offers no button for it.
        var (_, again) = await sam.GetPageAsync(picker);
        Assert.NotNull(again.QuerySelector($"[data-document-id='{documentId}'] [data-testid=already-linked]"));
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = fixture.Portal.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private sealed record SectionKey(string Name, string Anchor);

    /// <summary>The overview's sections with their (answered, required) counts, parsed from the words on the page.</summary>
    private static Dictionary<SectionKey, (int Answered, int Required)> Overview(IHtmlDocument page) =>
        page.QuerySelectorAll("[data-testid=section-overview] li[data-section]").ToDictionary(
            li => new SectionKey(li.QuerySelector("a")!.TextContent.Trim(), li.GetAttribute("data-section")!),
            li =>
            {
                var words = li.QuerySelector(".section-count")!.TextContent.Trim();
                var match = CountPattern().Match(words);
                return match.Success ? (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : (0, 0);
            });

    private static string Words((int Answered, int Required) p) => p.Required == 0 ? "nothing required now" : $"{p.Answered} of {p.Required} required answered";

    private static async Task<JsonElement> AutosaveAsync(PortalSession session, string path, params (string Code, string Value)[] answers)
    {
        var fields = new Dictionary<string, string>();
        for (var i = 0; i < answers.Length; i++)
        {
            fields[$"Answers[{i}].QuestionCode"] = answers[i].Code;
            fields[$"Answers[{i}].Value"] = answers[i].Value;
            fields[$"Answers[{i}].BaseVersion"] = "0";
        }

        using var response = await session.PostFormAsync($"{path}?handler=Autosave", fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [GeneratedRegex(@"^(\d+) of (\d+) required answered$")]
    private static partial Regex CountPattern();
}
