using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.TestSupport;
using static SupplierAssure.Portal.Tests.Audits.AuditTestKit;

namespace SupplierAssure.Portal.Tests.Audits;

/// <summary>One Portal for the audit follow-up tests, with a lead auditor and a security reviewer.</summary>
public sealed class AuditFollowUpFixture : IAsyncLifetime
{
    public const string Lead = "capa.lead@operator.example";
    public const string Reviewer = "capa.reviewer@operator.example";

    public PortalFactory Portal { get; } = new();

    public Guid LeadId { get; private set; }

    public async Task InitializeAsync()
    {
        LeadId = await Portal.CreateUserAsync(Lead, Roles.Auditor);
        await Portal.CreateUserAsync(Reviewer, Roles.SecurityReviewer);
    }

    /// <summary>
    /// A Caldera on-site audit led by <see cref="Lead"/>, past its closing meeting: the findings released and a
    /// remediation case opened for each nonconformity, as the closing meeting leaves them. Returns the audit and the
    /// cases in the order of <paramref name="findings"/> (null for a finding that is not a nonconformity).
    /// </summary>
    public async Task<(Guid AuditId, Guid?[] Cases)> ArrangeReleasedAuditAsync(params (AuditGrade Grade, string Reference, string Evidence)[] findings)
    {
        await using var db = Portal.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-3).AddHours(9), TimeSpan.Zero);
        var audit = new SupplierAudit
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId, Type = AuditType.OnSite,
            Objectives = "Confirm that seals and gate access work as the questionnaire says.", ScopeSites = "Stuttgart plant", ScopeModes = "Road",
            CriteriaClauses = "4,8,10", OwnRequirements = "Annex S of the haulage contract.", LeadAuditorId = LeadId,
            State = findings.Length == 0 ? AuditState.InProgress : AuditState.FindingsReleased, CreatedAt = now.AddDays(-20),
            VisitStart = start, VisitEnd = start.AddHours(7), VisitConfirmedAt = now.AddDays(-10), FindingsReleasedAt = findings.Length == 0 ? null : now,
        };
        db.Add(audit);
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, UserId = LeadId, IsLead = true,
            Declaration = IndependenceDeclaration.Independent, DeclarationNote = "No ties to Caldera.", DeclaredAt = now.AddDays(-20), AddedAt = now.AddDays(-20),
        });
        foreach (var step in AuditSteps.All)
        {
            var done = step.Number <= (findings.Length == 0 ? AuditSteps.OpeningMeeting : AuditSteps.ClosingMeeting);
            db.Add(new AuditStep
            {
                Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, Number = step.Number,
                Records = done ? $"Records of step {step.Number}." : null, CompletedAt = done ? now.AddDays(-3) : null, CompletedBy = done ? LeadId : null,
            });
        }

        var policy = await new WorkflowPolicyStore(db, TimeProvider.System).CurrentAsync(CancellationToken.None);
        var cases = new Guid?[findings.Length];
        for (var i = 0; i < findings.Length; i++)
        {
            var (grade, reference, evidence) = findings[i];
            var finding = new AuditFinding
            {
                Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, Reference = reference, Grade = grade, Evidence = evidence,
                Site = "Stuttgart plant", RecordedAt = now.AddDays(-3).AddMinutes(i), RecordedBy = LeadId, ReleasedAt = now,
            };
            db.Add(finding);
            if (!finding.IsNonconformity)
            {
                continue;
            }

            var raised = new AssessmentFinding
            {
                Id = Guid.NewGuid(), SupplierId = audit.SupplierId, AssessmentId = DemoData.CalderaAssessmentId, Source = FindingSource.Audit,
                Grade = grade == AuditGrade.MajorNonconformity ? NonconformityGrade.MajorNonconformity : NonconformityGrade.MinorNonconformity,
                Reference = reference, Summary = $"Audit, {reference}: {evidence}", RaisedAt = now, RaisedBy = LeadId,
            };
            db.Add(raised);
            var remediation = RemediationCase.OpenFor(raised, policy, Guid.NewGuid(), now);
            db.Add(remediation);
            finding.AssessmentFindingId = raised.Id;
            cases[i] = remediation.Id;
        }

        await db.SaveChangesAsync();
        return (audit.Id, cases);
    }

    public Task DisposeAsync()
    {
        Portal.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// After the closing meeting: corrective actions (why-analysis, correction, action, owner, implementation evidence,
/// effectiveness verification, closure or reopening), evidence requests answered with files, and the OSCAL exports
/// validated against the official schemas.
/// </summary>
public sealed partial class OscalAndCapaTests(AuditFollowUpFixture fixture) : IClassFixture<AuditFollowUpFixture>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% seal log May\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private PortalFactory Portal => fixture.Portal;

    [Fact]
    public async Task Capa_PlannedImplementedWithEvidenceAndVerified_ClosesCaseAndFinding()
    {
        var (_, cases) = await fixture.ArrangeReleasedAuditAsync((AuditGrade.MinorNonconformity, "8.1", "Seal numbers not checked against the manifest at the gate."));
        var id = cases[0]!.Value;
        var page = $"/Remediation/{id}";
        using var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);
        using var lead = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Lead);

        // Missing correction and owner, six whys: refused field by field, nothing saved.
        using (var bad = await caldera.PostFormAsync($"{page}?handler=Plan", new Dictionary<string, string>
               {
                   ["Whys[0]"] = "a", ["Whys[1]"] = "b", ["Whys[2]"] = "c", ["Whys[3]"] = "d", ["Whys[4]"] = "e", ["Whys[5]"] = "f",
                   ["Text"] = "Gate staff check seal numbers against the manifest.",
               }, tokenFrom: page))
        {
            var errors = await ErrorsAsync(bad);
            Assert.Contains("Give at most 5 whys", errors, StringComparison.Ordinal);
            Assert.Contains("Say how the nonconformity itself", errors, StringComparison.Ordinal);
            Assert.Contains("Name who answers for this corrective action", errors, StringComparison.Ordinal);
        }

        await AssertStateAsync(id, RemediationState.ActionPlanDue);
        using (var plan = await caldera.PostFormAsync($"{page}?handler=Plan", new Dictionary<string, string>
               {
                   ["Whys[0]"] = "Gate staff did not compare seal numbers.",
                   ["Whys[1]"] = "The gate checklist has no seal step.",
                   ["Whys[2]"] = "The checklist was written before seals were used on road freight.",
                   ["Correction"] = "The 3 trailers were re-inspected and their seals logged.",
                   ["Text"] = "Add a seal step to the gate checklist and train the gate staff.",
                   ["Owner"] = "Jana Weber, site security officer",
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        }

        var (_, planned) = await caldera.GetPageAsync(page);
        Assert.Equal(3, planned.QuerySelectorAll("[data-testid=whys] li").Length);
        Assert.Equal("Jana Weber, site security officer", planned.QuerySelector("[data-testid=owner]")!.TextContent);

        // A file that is not an accepted type is refused and nothing moves; then the implementation with a PDF.
        using (var exe = await PostImplementationAsync(caldera, id, "Checklist updated.", ("tool.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03])))
        {
            Assert.Contains("only PDF, PNG, JPEG", await ErrorsAsync(exe), StringComparison.Ordinal);
        }

        await AssertStateAsync(id, RemediationState.ImplementationDue);
        using (var implemented = await PostImplementationAsync(caldera, id, "Checklist v4 in use since Monday; training records attached.", ("seal-log.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, implemented.StatusCode);
        }

        await AssertStateAsync(id, RemediationState.VerificationDue);
        var (_, waiting) = await lead.GetPageAsync(page);
        var fileLink = Assert.Single(waiting.QuerySelectorAll("[data-testid=evidence-file]")).GetAttribute("href")!;
        using (var download = await lead.Client.GetAsync(new Uri(fileLink, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        }

        using (var meridian = await PortalSession.SignInAsync(Portal, DemoData.SupplierUserEmail))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await meridian.GetPageAsync(fileLink)).Response.StatusCode);
        }

        // The supplier cannot verify its own action; the auditor does, and the case and its finding close together.
        using (var self = await caldera.PostFormAsync($"{page}?handler=Verify", new Dictionary<string, string> { ["Text"] = "We checked.", ["Effective"] = "true" }, tokenFrom: page))
        {
            Assert.StartsWith("/Account/AccessDenied", self.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var verified = await lead.PostFormAsync($"{page}?handler=Verify", new Dictionary<string, string>
               {
                   ["Text"] = "Sampled 15 gate records from the last two weeks: every seal number matched the manifest.", ["Effective"] = "true",
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        }

        await using var db = Portal.CreateDbContext();
        var closed = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal(RemediationState.Closed, closed.State);
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(AssessmentFindingState.Closed, (await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == closed.FindingId)).State);
        Assert.Equal("Gate staff did not compare seal numbers.\nThe gate checklist has no seal step.\nThe checklist was written before seals were used on road freight.", closed.RootCause);
        var check = Assert.Single(await db.Set<RemediationVerification>().AsNoTracking().Where(v => v.RemediationId == id).ToListAsync());
        Assert.True(check.Effective);
        Assert.Equal(fixture.LeadId, check.VerifiedBy);
        var (_, final) = await caldera.GetPageAsync(page);
        Assert.Equal("Effective: closed", final.QuerySelector("[data-testid=verification-result]")!.TextContent);
    }

    [Fact]
    public async Task Capa_VerificationFails_ReopensForReworkAndKeepsTheRecordUntilClosed()
    {
        var (_, cases) = await fixture.ArrangeReleasedAuditAsync((AuditGrade.MajorNonconformity, "8", "No access control at the warehouse's rear door."));
        var id = cases[0]!.Value;
        var page = $"/Remediation/{id}";
        using var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);
        using var reviewer = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Reviewer);
        using (var plan = await caldera.PostFormAsync($"{page}?handler=Plan", new Dictionary<string, string>
               {
                   ["Whys[0]"] = "The door is used for smoking breaks.", ["Correction"] = "Door locked the same day.",
                   ["Text"] = "Badge reader on the rear door.", ["Owner"] = "Facility manager",
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        }

        using (var implemented = await PostImplementationAsync(caldera, id, "Badge reader ordered."))
        {
            Assert.Equal(HttpStatusCode.Redirect, implemented.StatusCode);
        }

        using (var noReason = await reviewer.PostFormAsync($"{page}?handler=Verify", new Dictionary<string, string> { ["Text"] = " " }, tokenFrom: page))
        {
            Assert.Contains("Say why the action is not effective yet", await ErrorsAsync(noReason), StringComparison.Ordinal);
        }

        var before = DateTimeOffset.UtcNow;
        using (var failed = await reviewer.PostFormAsync($"{page}?handler=Verify", new Dictionary<string, string>
               {
                   ["Text"] = "The reader is ordered, not fitted; the door was propped open during the check.",
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        }

        await using (var db = Portal.CreateDbContext())
        {
            var reopened = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == id);
            Assert.Equal(RemediationState.ImplementationDue, reopened.State);
            Assert.Equal(1, reopened.Round);
            Assert.Null(reopened.ImplementedAt);
            var policy = await new WorkflowPolicyStore(db, TimeProvider.System).GetAsync(reopened.PolicyVersion, CancellationToken.None);
            var rework = policy.PeriodsFor(NonconformityGrade.MajorNonconformity).ReworkDays;
            Assert.InRange(reopened.ImplementationDueAt, before.AddDays(rework).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(rework).AddMinutes(1));
            Assert.Equal(AssessmentFindingState.Open, (await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == reopened.FindingId)).State);
        }

        using (var again = await PostImplementationAsync(caldera, id, "Reader fitted and door alarm wired to the gatehouse.", ("photo-log.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        using (var verified = await reviewer.PostFormAsync($"{page}?handler=Verify", new Dictionary<string, string>
               {
                   ["Text"] = "Door tested twice: badge needed, alarm reached the gatehouse in 10 s.", ["Effective"] = "true",
               }, tokenFrom: page))
        {
            Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        }

        await AssertStateAsync(id, RemediationState.Closed);
        var (_, history) = await caldera.GetPageAsync(page);
        Assert.Equal(
            new[] { "Not effective: reopened", "Effective: closed" },
            history.QuerySelectorAll("[data-testid=verification-result]").Select(e => e.TextContent).ToArray());
    }

    [Fact]
    public async Task EvidenceRequests_AuditorAsksByCategory_SupplierAnswersWithFiles_AuditorReadsThem()
    {
        var (auditId, _) = await fixture.ArrangeReleasedAuditAsync();
        var page = $"/Audits/{auditId}";
        using var lead = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Lead);
        using var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);

        using (var bad = await lead.PostFormAsync($"{page}?handler=RequestEvidence", new Dictionary<string, string> { ["Category"] = "astrology", ["Details"] = "" }))
        {
            var errors = await ErrorsAsync(bad);
            Assert.Contains("Choose the category of evidence", errors, StringComparison.Ordinal);
            Assert.Contains("Say which documents or records", errors, StringComparison.Ordinal);
        }

        using (var asked = await lead.PostFormAsync($"{page}?handler=RequestEvidence", new Dictionary<string, string>
               {
                   ["Category"] = "cargo", ["Details"] = "The seal register for May and the gate inspection checklists of week 19.", ["DueOn"] = Day(7),
               }))
        {
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        }

        // The supplier sees the request with the category's title and answers it: an empty answer is refused.
        var (_, open) = await caldera.GetPageAsync(page);
        var request = Assert.Single(open.QuerySelectorAll("[data-testid=evidence-request]"));
        Assert.Equal("Cargo and transport", request.QuerySelector("[data-testid=evidence-category]")!.TextContent);
        var action = request.QuerySelector("[data-testid=answer-form]")!.GetAttribute("action")!;
        using (var empty = await PostMultipartAsync(caldera, action, page, ("AnswerText", " ")))
        {
            Assert.Contains("Attach the files asked for", await ErrorsAsync(empty), StringComparison.Ordinal);
        }

        using (var answered = await PostMultipartAsync(caldera, action, page, ("AnswerText", "Register attached; checklists follow on paper at the visit."), ("Files", "seal-register-may.pdf", Pdf)))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }

        using (var twice = await PostMultipartAsync(caldera, action, page, ("AnswerText", "Once more.")))
        {
            Assert.Contains("answered already", await ErrorsAsync(twice), StringComparison.Ordinal);
        }

        // The auditor reads the answer and downloads the file; staff cannot answer for the supplier.
        var (_, seen) = await lead.GetPageAsync(page);
        var row = Assert.Single(seen.QuerySelectorAll("[data-testid=evidence-request]"));
        Assert.Equal("Answered", row.QuerySelector("[data-testid=evidence-state]")!.TextContent);
        Assert.Equal("Register attached; checklists follow on paper at the visit.", row.QuerySelector("[data-testid=evidence-response]")!.TextContent);
        var link = row.QuerySelector("[data-testid=evidence-file]")!;
        Assert.Equal("seal-register-may.pdf", link.TextContent);
        using (var file = await lead.Client.GetAsync(new Uri(link.GetAttribute("href")!, UriKind.Relative)))
        {
            Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        }

        using (var staff = await PostMultipartAsync(lead, action, page, ("AnswerText", "Answered by the auditor.")))
        {
            Assert.StartsWith("/Account/AccessDenied", staff.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task OscalExports_ValidateAgainstTheOfficialSchemas_AndTheValidatorRejectsBrokenOnes()
    {
        Skip.If(OscalSchemas.Directory is null, OscalSchemas.Missing);
        var (auditId, cases) = await fixture.ArrangeReleasedAuditAsync(
            (AuditGrade.MajorNonconformity, "8.1", "Seal register lacks 3 of 20 sampled outbound seals.\nSampled on the May register."),
            (AuditGrade.MinorNonconformity, "cargo", "Trailer inspection checklist skips the roof."),
            (AuditGrade.Conformity, "4", "Scope statement covers every site and mode."),
            (AuditGrade.OpportunityForImprovement, "10", "Corrective actions could be tracked in one log."));
        // One case has its plan: its why-analysis, correction and action appear in the POA&M.
        using (var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail))
        using (var plan = await caldera.PostFormAsync($"/Remediation/{cases[0]}?handler=Plan", new Dictionary<string, string>
               {
                   ["Whys[0]"] = "Night shift skipped the register.", ["Whys[1]"] = "No one checks it at shift change.",
                   ["Correction"] = "Missing seals traced and logged.", ["Text"] = "Register check added to the shift handover.", ["Owner"] = "Night shift lead",
               }, tokenFrom: $"/Remediation/{cases[0]}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, plan.StatusCode);
        }

        using var lead = await PortalSession.SignInAsync(Portal, AuditFollowUpFixture.Lead);
        var (_, page) = await lead.GetPageAsync($"/Audits/{auditId}");
        var documents = new Dictionary<string, JsonNode>();
        foreach (var (testId, model) in new[] { ("oscal-plan", "assessment-plan"), ("oscal-results", "assessment-results"), ("oscal-poam", "poam") })
        {
            var href = page.QuerySelector($"[data-testid={testId}]")!.GetAttribute("href")!;
            using var response = await lead.Client.GetAsync(new Uri(href, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.EndsWith($"{model}.json", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var errors = OscalSchemas.Errors(OscalSchemas.Load(model), document);
            Assert.True(errors.Count == 0, $"{model}:\n" + string.Join('\n', errors.Take(20)));
            documents[model] = document;
        }

        var ap = documents["assessment-plan"]["assessment-plan"]!;
        Assert.Equal("1.0.6", ap["metadata"]!["oscal-version"]!.GetValue<string>());
        Assert.Equal(new[] { "iso28000-4", "iso28000-8", "iso28000-10" },
            ap["reviewed-controls"]!["control-selections"]![0]!["include-controls"]!.AsArray().Select(c => c!["control-id"]!.GetValue<string>()).ToArray());
        Assert.Equal(AuditSteps.Count, ap["tasks"]!.AsArray().Count);
        var results = documents["assessment-results"]["assessment-results"]!["results"]![0]!;
        Assert.Equal(
            new[] { "not-satisfied", "not-satisfied", "satisfied", "satisfied" },
            results["findings"]!.AsArray().Select(f => f!["target"]!["status"]!["state"]!.GetValue<string>()).ToArray());
        Assert.Equal("domain-cargo", results["findings"]![1]!["target"]!["target-id"]!.GetValue<string>());
        var poam = documents["poam"]["plan-of-action-and-milestones"]!;
        Assert.Equal(2, poam["poam-items"]!.AsArray().Count);
        var risk = poam["risks"]![0]!;
        Assert.Contains("No one checks it at shift change.", risk["statement"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(new[] { "Correction", "Corrective action" }, risk["remediations"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToArray());

        // The validator is not a rubber stamp: a missing required part, an identifier that is not a token, and an
        // empty list where the schema needs one item are each refused.
        var noControls = documents["assessment-plan"].DeepClone();
        noControls["assessment-plan"]!.AsObject().Remove("reviewed-controls");
        Assert.NotEmpty(OscalSchemas.Errors(OscalSchemas.Load("assessment-plan"), noControls));
        var badTarget = documents["assessment-results"].DeepClone();
        badTarget["assessment-results"]!["results"]![0]!["findings"]![0]!["target"]!["target-id"] = "8.1";
        Assert.NotEmpty(OscalSchemas.Errors(OscalSchemas.Load("assessment-results"), badTarget));
        var noItems = documents["poam"].DeepClone();
        noItems["plan-of-action-and-milestones"]!["poam-items"] = new JsonArray();
        Assert.NotEmpty(OscalSchemas.Errors(OscalSchemas.Load("poam"), noItems));

        // The supplier's own export validates too; an unknown model is a 400; an audit without open actions has no POA&M.
        using (var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail))
        using (var own = await caldera.Client.GetAsync(new Uri($"/Audits/{auditId}?handler=Oscal&model=assessment-results", UriKind.Relative)))
        {
            Assert.Empty(OscalSchemas.Errors(OscalSchemas.Load("assessment-results"), JsonNode.Parse(await own.Content.ReadAsStringAsync())));
        }

        using (var unknown = await lead.Client.GetAsync(new Uri($"/Audits/{auditId}?handler=Oscal&model=ssp", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        var (quietId, _) = await fixture.ArrangeReleasedAuditAsync((AuditGrade.Conformity, "8", "All sampled seals matched."));
        var (_, quiet) = await lead.GetPageAsync($"/Audits/{quietId}");
        Assert.Null(quiet.QuerySelector("[data-testid=oscal-poam]"));
        using var none = await lead.Client.GetAsync(new Uri($"/Audits/{quietId}?handler=Oscal&model=poam", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, none.StatusCode);
        Assert.Empty(OscalSchemas.Errors(OscalSchemas.Load("assessment-results"),
            JsonNode.Parse(await lead.Client.GetStringAsync(new Uri($"/Audits/{quietId}?handler=Oscal&model=assessment-results", UriKind.Relative)))));
    }

    private async Task AssertStateAsync(Guid remediationId, RemediationState expected)
    {
        await using var db = Portal.CreateDbContext();
        Assert.Equal(expected, await db.Set<RemediationCase>().AsNoTracking().Where(r => r.Id == remediationId).Select(r => r.State).SingleAsync());
    }

    private static async Task<HttpResponseMessage> PostImplementationAsync(PortalSession session, Guid remediationId, string note, params (string Name, byte[] Bytes)[] files)
    {
        var parts = new List<object> { ("Text", note) };
        parts.AddRange(files.Select(f => (object)("Files", f.Name, f.Bytes)));
        return await PostMultipartAsync(session, $"/Remediation/{remediationId}?handler=Implement", $"/Remediation/{remediationId}", [.. parts]);
    }

    /// <summary>A multipart post with the anti-forgery token of <paramref name="tokenFrom"/>; parts are (name, value) or (name, file name, bytes).</summary>
    private static async Task<HttpResponseMessage> PostMultipartAsync(PortalSession session, string path, string tokenFrom, params object[] parts)
    {
        var token = await session.GetTokenAsync(tokenFrom);
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var part in parts)
        {
            switch (part)
            {
                case ValueTuple<string, string> field:
                    content.Add(new StringContent(field.Item2), field.Item1);
                    break;
                case ValueTuple<string, string, byte[]> file:
                    var bytes = new ByteArrayContent(file.Item3);
                    bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    content.Add(bytes, file.Item1, file.Item2);
                    break;
                default:
                    throw new ArgumentException("A part is (name, value) or (name, file name, bytes).", nameof(parts));
            }
        }

        return await session.Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
