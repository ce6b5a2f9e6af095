using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Identity;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Portal.Tests;

/// <summary>
/// Caldera's supplier, assessment, answers and evidence, arranged once, attacked by every role. Each endpoint that
/// takes an id is listed once in <see cref="Targets"/>; a new page or endpoint that takes a supplier-owned id belongs there.
/// </summary>
public sealed class TenantIsolationFixture : IAsyncLifetime
{
    public const string CalderaSecret = "CALDERA-CONFIDENTIAL-ANSWER";
    public static readonly byte[] CalderaPdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% caldera only\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public PortalFactory Portal { get; } = new();

    public Guid CalderaEvidenceId { get; private set; }

    /// <summary>Caldera's sharing consent for the demo partner, which other callers try to revoke.</summary>
    public static readonly Guid CalderaConsentId = new("c0a5e000-0000-4000-8000-00000000ca1d");

    /// <summary>Caldera's remediation case and its finding.</summary>
    public static readonly Guid CalderaRemediationId = new("c0a5e000-0000-4000-8000-0000000000c5");
    public static readonly Guid CalderaFindingId = new("c0a5e000-0000-4000-8000-0000000000f1");

    /// <summary>Caldera's second-party audit (visit confirmed, one unreleased finding) and its accepted slot.</summary>
    public static readonly Guid CalderaAuditId = new("c0a5e000-0000-4000-8000-0000000000a1");
    public static readonly Guid CalderaAuditSlotId = new("c0a5e000-0000-4000-8000-0000000000a2");
    public const string CalderaAuditEvidence = "CALDERA-UNRELEASED-AUDIT-EVIDENCE";

    /// <summary>A reviewer's question on one of Caldera's answers, which no other organisation may read.</summary>
    public const string CalderaReviewComment = "CALDERA-REVIEW-COMMENT";

    /// <summary>A reviewer's approval of Caldera's assessment waiting for a risk owner's sign-off, and its reason.</summary>
    public static readonly Guid CalderaRiskProposalId = new("c0a5e000-0000-4000-8000-0000000000b1");
    public const string CalderaRiskReason = "CALDERA-RESIDUAL-RISK-REASON";

    /// <summary>An evidence request on Caldera's audit and the file Caldera answered it with.</summary>
    public static readonly Guid CalderaEvidenceRequestId = new("c0a5e000-0000-4000-8000-0000000000e1");
    public static readonly Guid CalderaAuditFileId = new("c0a5e000-0000-4000-8000-0000000000e2");

    public async Task InitializeAsync()
    {
        using var caldera = await PortalSession.SignInAsync(Portal, DemoData.OtherSupplierUserEmail);
        using var saved = await new AssessmentForm()
            .Answer("IMP-02", CalderaSecret)
            .Answer("LEAD-01", "partial")
            .Attach("LEAD-01", "caldera-policy.pdf", CalderaPdf)
            .PostAsync(caldera, DemoData.CalderaAssessmentId, "Save");
        if (saved.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Arranging Caldera's answers failed: {(int)saved.StatusCode}");
        }

        await using var db = Portal.CreateDbContext();
        CalderaEvidenceId = await db.EvidenceFiles.Where(e => e.SupplierId == DemoData.CalderaSupplierId).Select(e => e.Id).SingleAsync();
        var document = await db.EvidenceDocuments.Where(d => d.SupplierId == DemoData.CalderaSupplierId).Select(d => new { d.Id, d.CurrentVersionId }).SingleAsync();
        (CalderaDocumentId, CalderaVersionId) = (document.Id, document.CurrentVersionId);
        db.SharingConsents.Add(new Core.Partners.SharingConsent
        {
            Id = CalderaConsentId, SupplierId = DemoData.CalderaSupplierId, PartnerClientId = DemoData.PartnerClientId,
            Scope = Core.Partners.SharingConsent.StatusScope, GrantedAt = DateTimeOffset.UtcNow,
        });
        // A remediation case of Caldera's (with its finding), which other callers try to open and act on.
        db.Set<Core.Findings.AssessmentFinding>().Add(new Core.Findings.AssessmentFinding
        {
            Id = CalderaFindingId, SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId,
            Source = Core.Findings.FindingSource.Audit, Grade = Core.Findings.NonconformityGrade.MinorNonconformity,
            Summary = "Caldera's dock seals are not logged.", RaisedAt = DateTimeOffset.UtcNow,
        });
        db.Set<Core.Remediation.RemediationCase>().Add(new Core.Remediation.RemediationCase
        {
            Id = CalderaRemediationId, SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId,
            FindingId = CalderaFindingId, Grade = Core.Findings.NonconformityGrade.MinorNonconformity, OpenedAt = DateTimeOffset.UtcNow,
            ActionPlanDueAt = DateTimeOffset.UtcNow.AddDays(30), ImplementationDueAt = DateTimeOffset.UtcNow.AddDays(90),
        });
        db.Set<Core.Reviews.ReviewComment>().Add(new Core.Reviews.ReviewComment
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId, QuestionCode = "LEAD-01",
            AuthorName = "Matrix reviewer", Text = CalderaReviewComment, CreatedAt = DateTimeOffset.UtcNow,
        });
        db.Add(new Core.Reviews.ResidualRiskAcceptance
        {
            Id = CalderaRiskProposalId, SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId,
            ProposedOutcome = Core.Reviews.ReviewOutcome.ConditionallyApprove, ProposalReason = CalderaRiskReason,
            ResidualRisk = "0 major and 1 minor nonconformity(ies) open; risk rating Medium.", ProposedBy = Guid.NewGuid(),
            ProposedByName = "Matrix reviewer", ProposedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        await ArrangeCalderaAuditAsync(db);

        foreach (var role in Roles.All)
        {
            var supplierRole = role is Roles.SupplierAdmin or Roles.SupplierContributor;
            await Portal.CreateUserAsync(EmailFor(role), role, supplierRole ? DemoData.MeridianSupplierId : null);
        }

        await Portal.CreateUserAsync(EmailFor(null), role: null);
        CalderaAdminId = await db.Users.Where(u => u.Email == DemoData.OtherSupplierUserEmail).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The library document Caldera's upload started, and its version, which other callers try to read, edit, replace and link.</summary>
    public static Guid CalderaDocumentId { get; private set; }

    public static Guid CalderaVersionId { get; private set; }

    /// <summary>Caldera's supplier admin, whose role and account other callers try to change on the users page.</summary>
    public static Guid CalderaAdminId { get; private set; }

    public static string EmailFor(string? role) => role is null ? "no-role@operator.example" : $"{role.ToLowerInvariant()}@matrix.example";

    /// <summary>Everything about Caldera that an attack could change, as one comparable string.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = Portal.CreateDbContext();
        var supplier = await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.CalderaSupplierId);
        var assessment = await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId);
        var answers = await db.Answers.AsNoTracking().Where(a => a.SupplierId == DemoData.CalderaSupplierId)
            .OrderBy(a => a.QuestionCode).Select(a => $"{a.QuestionCode}={a.Value}/{a.NotApplicableReason}/{a.Version}").ToListAsync();
        var evidence = await db.EvidenceFiles.AsNoTracking().Where(e => e.SupplierId == DemoData.CalderaSupplierId)
            .OrderBy(e => e.Id).Select(e => $"{e.Id}:{e.Sha256}:{e.StorageKey}").ToListAsync();
        var consents = await db.SharingConsents.AsNoTracking().Where(c => c.SupplierId == DemoData.CalderaSupplierId).Select(c => $"{c.Id}:{c.RevokedAt}").ToListAsync();
        var remediation = await db.Set<Core.Remediation.RemediationCase>().AsNoTracking().Where(r => r.Id == CalderaRemediationId).Select(r => $"{r.State}/{r.Version}").SingleAsync();
        remediation += "|" + await CalderaAuditSnapshotAsync(db);
        remediation += "|" + await db.Set<Core.Reviews.ResidualRiskAcceptance>().AsNoTracking().Where(p => p.Id == CalderaRiskProposalId)
            .Select(p => $"{p.State}/{p.SignedBy}/{p.SignOffReason}/{p.Version}").SingleAsync()
            + "/" + await db.Set<Core.Reviews.ReviewDecision>().CountAsync(d => d.AssessmentId == DemoData.CalderaAssessmentId);
        var allEvidence = await db.EvidenceFiles.CountAsync();
        var library = await db.EvidenceDocuments.AsNoTracking().Where(d => d.SupplierId == DemoData.CalderaSupplierId).OrderBy(d => d.Id)
            .Select(d => $"{d.Id}:{d.Title}:{d.Category}:{d.ExpiresOn}:{d.CurrentVersionId}:{d.Version}").ToListAsync();
        var allVersions = await db.EvidenceVersions.CountAsync();
        var calderaSites = await db.Set<Core.Suppliers.SupplierSite>().AsNoTracking().Where(x => x.SupplierId == DemoData.CalderaSupplierId).OrderBy(x => x.Id)
            .Select(x => $"{x.Id}:{x.Name}:{x.City}:{x.RetiredAt}:{x.Version}").ToListAsync();
        var allAnswers = await db.Answers.CountAsync();
        var allComments = await db.Set<Core.Reviews.ReviewComment>().CountAsync();
        var allAssignments = await db.Set<Core.Delegation.SectionAssignment>().CountAsync();
        var calderaUsers = (await db.Users.AsNoTracking().Where(u => u.SupplierId == DemoData.CalderaSupplierId).OrderBy(u => u.Email)
            .Select(u => new { u.Email, u.SecurityStamp, u.LockoutEnd, Roles = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).ToList() }).ToListAsync())
            .Select(u => $"{u.Email}:{u.SecurityStamp}:{u.LockoutEnd}:{string.Join(',', u.Roles.Order())}");
        return string.Join('|', string.Join(',', calderaUsers),
            supplier.AssuranceStatus, supplier.LegalName, supplier.Tier, assessment.State, assessment.Version, assessment.OverallScore,
            string.Join(',', answers), string.Join(',', evidence), allEvidence, string.Join(',', library), allVersions, allAnswers, allComments, allAssignments, string.Join(',', consents), remediation,
            string.Join(',', calderaSites));
    }

    private async Task ArrangeCalderaAuditAsync(Core.Data.SupplierAssureDbContext db)
    {
        var leadId = await Portal.CreateUserAsync("caldera-lead@operator.example", Roles.Auditor);
        var start = DateTimeOffset.UtcNow.Date.AddDays(20).AddHours(9);
        db.Add(new Core.SecondPartyAudits.SupplierAudit
        {
            Id = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, AssessmentId = DemoData.CalderaAssessmentId,
            Type = Core.SecondPartyAudits.AuditType.OnSite, Objectives = "Caldera's seal controls.", ScopeSites = "Stuttgart", CriteriaClauses = "8",
            LeadAuditorId = leadId, State = Core.SecondPartyAudits.AuditState.Scheduled, CreatedAt = DateTimeOffset.UtcNow,
            VisitStart = start, VisitEnd = start.AddHours(6), VisitConfirmedAt = DateTimeOffset.UtcNow,
        });
        db.Add(new Core.SecondPartyAudits.AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, UserId = leadId, IsLead = true,
            Declaration = Core.SecondPartyAudits.IndependenceDeclaration.Independent, DeclaredAt = DateTimeOffset.UtcNow, AddedAt = DateTimeOffset.UtcNow,
        });
        db.Add(new Core.SecondPartyAudits.AuditSlot
        {
            Id = CalderaAuditSlotId, AuditId = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, Start = start, End = start.AddHours(6),
            ProposedBy = leadId, ProposedAt = DateTimeOffset.UtcNow, State = Core.SecondPartyAudits.SlotState.Accepted,
        });
        foreach (var step in Core.SecondPartyAudits.AuditSteps.All)
        {
            db.Add(new Core.SecondPartyAudits.AuditStep { Id = Guid.NewGuid(), AuditId = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, Number = step.Number });
        }

        db.Add(new Core.SecondPartyAudits.AuditFinding
        {
            Id = Guid.NewGuid(), AuditId = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, Reference = "8.1",
            Grade = Core.SecondPartyAudits.AuditGrade.MajorNonconformity, Evidence = CalderaAuditEvidence, RecordedAt = DateTimeOffset.UtcNow, RecordedBy = leadId,
        });
        db.Add(new Core.SecondPartyAudits.EvidenceRequest
        {
            Id = CalderaEvidenceRequestId, AuditId = CalderaAuditId, SupplierId = DemoData.CalderaSupplierId, Category = "cargo",
            Details = "Seal log for May.", RequestedBy = leadId, RequestedAt = DateTimeOffset.UtcNow,
        });
        var stored = await Portal.Services.GetRequiredService<Core.Evidence.IEvidenceStore>().SaveAsync(new MemoryStream(CalderaPdf), 1 << 20, CancellationToken.None);
        db.Add(new Core.SecondPartyAudits.AuditFile
        {
            Id = CalderaAuditFileId, SupplierId = DemoData.CalderaSupplierId, EvidenceRequestId = CalderaEvidenceRequestId, FileName = "caldera-seals.pdf",
            ContentType = "application/pdf", Length = stored.Length, Sha256 = stored.Sha256, StorageKey = stored.StorageKey, UploadedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Caldera's audit, its slots, steps and findings as one comparable string.</summary>
    private static async Task<string> CalderaAuditSnapshotAsync(Core.Data.SupplierAssureDbContext db)
    {
        var audit = await db.Set<Core.SecondPartyAudits.SupplierAudit>().AsNoTracking().SingleAsync(a => a.Id == CalderaAuditId);
        var slots = await db.Set<Core.SecondPartyAudits.AuditSlot>().AsNoTracking().Where(s => s.AuditId == CalderaAuditId).OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.State}").ToListAsync();
        var steps = await db.Set<Core.SecondPartyAudits.AuditStep>().AsNoTracking().Where(s => s.AuditId == CalderaAuditId).OrderBy(s => s.Number).Select(s => $"{s.Number}:{s.Records}:{s.CompletedAt}").ToListAsync();
        var findings = await db.Set<Core.SecondPartyAudits.AuditFinding>().AsNoTracking().Where(f => f.AuditId == CalderaAuditId).OrderBy(f => f.Id).Select(f => $"{f.Id}:{f.Grade}:{f.ReleasedAt}").ToListAsync();
        var team = await db.Set<Core.SecondPartyAudits.AuditTeamMember>().AsNoTracking().Where(m => m.AuditId == CalderaAuditId).CountAsync();
        var reports = await db.Set<Core.SecondPartyAudits.AuditReport>().AsNoTracking().Where(r => r.AuditId == CalderaAuditId).CountAsync();
        var requests = await db.Set<Core.SecondPartyAudits.EvidenceRequest>().AsNoTracking().Where(r => r.AuditId == CalderaAuditId).OrderBy(r => r.Id).Select(r => $"{r.Id}:{r.State}:{r.Response}:{r.Details}:{r.Version}").ToListAsync();
        var files = await db.Set<Core.SecondPartyAudits.AuditFile>().AsNoTracking().Where(f => f.SupplierId == DemoData.CalderaSupplierId).CountAsync();
        var calderaAudits = await db.Set<Core.SecondPartyAudits.SupplierAudit>().AsNoTracking().CountAsync(a => a.SupplierId == DemoData.CalderaSupplierId);
        return string.Join(';', audit.State, audit.Version, audit.VisitStart, string.Join(',', slots), string.Join(',', steps), string.Join(',', findings), team, reports,
            string.Join(',', requests), files, calderaAudits);
    }

    public Task DisposeAsync()
    {
        Portal.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class TenantIsolationMatrixTests(TenantIsolationFixture fixture) : IClassFixture<TenantIsolationFixture>
{
    private static readonly Guid CalderaAssessment = DemoData.CalderaAssessmentId;

    public enum Access
    {
        /// <summary>Only an anonymous caller: sent to the sign-in page (the cookie scheme's challenge).</summary>
        SignInRequired,

        /// <summary>404: the tenant-scoped context does not see the row, exactly as for a missing id.</summary>
        NotFound,

        /// <summary>403 (the cookie scheme's redirect to the access-denied page): the role may not do this at all.</summary>
        Forbidden,

        /// <summary>Operator staff read every supplier's records; the operator runs the assurance programme.</summary>
        Allowed,
    }

    /// <summary>Every role, a signed-in user without one, and anonymous (null role, "anonymous" key).</summary>
    public static TheoryData<string> Callers()
    {
        var data = new TheoryData<string> { "anonymous", "no-role" };
        foreach (var role in Roles.All)
        {
            data.Add(role);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryEndpoint_AnotherOrganisationsRecords_DeniedAndNothingChanged(string caller)
    {
        var before = await fixture.SnapshotAsync();
        using var session = caller switch
        {
            "anonymous" => PortalSession.Anonymous(fixture.Portal),
            "no-role" => await PortalSession.SignInAsync(fixture.Portal, TenantIsolationFixture.EmailFor(null)),
            _ => await PortalSession.SignInAsync(fixture.Portal, TenantIsolationFixture.EmailFor(caller)),
        };

        // A valid anti-forgery token for this caller, taken from a page it may open, so a refusal below is the
        // authorization's doing and not a missing token's.
        var token = await session.GetTokenAsync(caller == "anonymous" ? "/Account/Login" : "/");
        var failures = new List<string>();
        foreach (var target in Targets(fixture.CalderaEvidenceId))
        {
            var expected = target.Expect?.Invoke(caller) ?? Expected(caller, target.Writes);
            using var request = target.Build(token);
            using var response = await session.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var actual = Classify(response);
            if (actual != expected)
            {
                failures.Add($"{target.Name}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
            }

            if (expected != Access.Allowed && (body.Contains(TenantIsolationFixture.CalderaSecret, StringComparison.Ordinal) || body.Contains("% caldera only", StringComparison.Ordinal)
                || body.Contains(TenantIsolationFixture.CalderaAuditEvidence, StringComparison.Ordinal)
                || body.Contains(TenantIsolationFixture.CalderaReviewComment, StringComparison.Ordinal)
                || body.Contains(TenantIsolationFixture.CalderaRiskReason, StringComparison.Ordinal)))
            {
                failures.Add($"{target.Name}: the refusal leaked Caldera's content");
            }
        }

        Assert.True(failures.Count == 0, $"{caller}:\n" + string.Join('\n', failures));
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task EveryReadEndpoint_OwnOrganisation_IsServed()
    {
        // The control that keeps the matrix honest: the same ids answer 200 to Caldera's own user, so the 404s
        // above come from tenancy, not from ids that do not exist.
        using var session = await PortalSession.SignInAsync(fixture.Portal, DemoData.OtherSupplierUserEmail);
        foreach (var target in Targets(fixture.CalderaEvidenceId).Where(t => !t.Writes && t.Expect is null))
        {
            using var request = target.Build(string.Empty);
            using var response = await session.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{target.Name}: {(int)response.StatusCode}");
        }
    }

    private static Access Expected(string caller, bool writes) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" => writes ? Access.Forbidden : Access.NotFound,
        Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        _ => writes ? Access.Forbidden : Access.Allowed,
    };

    /// <summary>The sharing pages: a supplier admin of the consent's own organisation only; Meridian's admin finds nothing.</summary>
    private static Access SharingAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.SupplierAdmin => Access.NotFound,
        _ => Access.Forbidden,
    };

    private static Access? Classify(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var path = response.Headers.Location?.OriginalString ?? string.Empty;
            if (path.Contains("/Account/Login", StringComparison.Ordinal))
            {
                return Access.SignInRequired;
            }

            return path.Contains("/Account/AccessDenied", StringComparison.Ordinal) ? Access.Forbidden : null;
        }

        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => Access.NotFound,
            HttpStatusCode.Forbidden => Access.Forbidden,
            HttpStatusCode.OK => Access.Allowed,
            _ => null,
        };
    }

    /// <param name="Expect">For a page only some operator roles may use: the expected access per caller, instead of <see cref="Expected"/>.</param>
    private sealed record Target(string Name, bool Writes, Func<string, HttpRequestMessage> Build, Func<string, Access>? Expect = null);

    /// <summary>The tier pages: procurement and administrators only; suppliers, even Caldera's own, are refused.</summary>
    private static Access TieringAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.ProcurementManager or Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>A supplier's remediation actions: other organisations and role-less users find nothing; operator staff may not plan.</summary>
    private static Access RemediationWriteAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" or Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        _ => Access.Forbidden,
    };

    /// <summary>Recording the audit an assessment was routed to: auditors and administrators only.</summary>
    private static Access AuditCompletionAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.Auditor or Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>The review file and decision: reviewers only (a decision on Caldera's open questionnaire is refused on the page).</summary>
    private static Access ReviewerAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.SecurityReviewer or Roles.ProcurementManager or Roles.RiskOwner or Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>The residual-risk sign-off: the operator's risk owners only; every other role, suppliers included, is refused.</summary>
    private static Access RiskOwnerAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.RiskOwner => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>A question comment: another organisation's users find nothing; reviewers reach the handler's refusal; others may not comment.</summary>
    private static Access ReviewCommentAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        Roles.SecurityReviewer or Roles.ProcurementManager or Roles.RiskOwner or Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>The partner client pages: the operator's administrators only.</summary>
    private static Access PartnerAdminAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    private static IEnumerable<Target> Targets(Guid evidenceId)
    {
        // The demo partner's client and organisation (seeded with the demo identities). Replacing the key of a
        // secret client is refused with a message, so an administrator gets the page back and nothing changes.
        yield return new("GET partner client page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/PartnerClients/Client/{DemoData.PartnerClientId}"), PartnerAdminAccess);
        yield return new("GET add partner client page", false, _ => new HttpRequestMessage(HttpMethod.Get, "/PartnerClients/Create?organisationId=9a7e0000-0000-4000-8000-0000000000d1"), PartnerAdminAccess);
        yield return new("POST replace partner client key", true, token => new HttpRequestMessage(HttpMethod.Post, $"/PartnerClients/Client/{DemoData.PartnerClientId}?handler=ReplaceKey")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["PublicJwk"] = "{}" }),
        }, PartnerAdminAccess);
        yield return new("POST revoke sharing consent", true, token => new HttpRequestMessage(HttpMethod.Post, "/Sharing?handler=Revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["consentId"] = TenantIsolationFixture.CalderaConsentId.ToString() }),
        }, SharingAccess);
        // A supplier admin's users page: only Meridian's admin reaches the handlers, and finds no Caldera user.
        yield return new("POST change a user's role", true, token => new HttpRequestMessage(HttpMethod.Post, "/Organisation/Users?handler=Role")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userId"] = TenantIsolationFixture.CalderaAdminId.ToString(), ["role"] = Roles.SupplierContributor }),
        }, SharingAccess);
        yield return new("POST disable a user", true, token => new HttpRequestMessage(HttpMethod.Post, "/Organisation/Users?handler=Disable")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userId"] = TenantIsolationFixture.CalderaAdminId.ToString() }),
        }, SharingAccess);
        yield return new("GET assessment page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Assessments/{CalderaAssessment}"));
        yield return new("GET remediation page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Remediation/{TenantIsolationFixture.CalderaRemediationId}"));
        yield return new("POST remediation action plan", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Remediation/{TenantIsolationFixture.CalderaRemediationId}?handler=Plan")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Text"] = "planted by an attacker" }),
        }, RemediationWriteAccess);
        // Workflow administration: administrators only (an unknown instance is looked up only after authorization).
        yield return new("GET workflow instances page", false, _ => new HttpRequestMessage(HttpMethod.Get, "/Admin/Workflows"), PartnerAdminAccess);
        yield return new("GET workflow policy page", false, _ => new HttpRequestMessage(HttpMethod.Get, "/Admin/WorkflowsPolicy"), PartnerAdminAccess);
        yield return new("POST terminate workflow instance", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Admin/Workflows/{Guid.Empty}?handler=Terminate")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Reason"] = "attack" }),
        }, caller => caller == Roles.Administrator ? Access.NotFound : PartnerAdminAccess(caller));
        // Recording an assessment's audit: auditors and administrators only. Caldera's questionnaire is not in audit,
        // so they get the page with the refusal and nothing changes.
        yield return new("GET record audit page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Reviews/{CalderaAssessment}/Audit"), AuditCompletionAccess);
        yield return new("POST record audit", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Reviews/{CalderaAssessment}/Audit")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Summary"] = "planted", ["Findings[0].Grade"] = "MajorNonconformity", ["Findings[0].Summary"] = "planted" }),
        }, AuditCompletionAccess);
        // Review comments: the thread page follows the tenant filter; commenting is for reviewers (Caldera's questionnaire
        // is not under review, so they get the page with the refusal) and the supplier's own users; the review file is
        // for reviewers only.
        yield return new("GET question comments page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Assessments/{CalderaAssessment}/Comments"));
        yield return new("POST question comment", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{CalderaAssessment}/Comments")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["QuestionCode"] = "LEAD-01", ["Text"] = "planted" }),
        }, ReviewCommentAccess);
        yield return new("GET review file", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Reviews/{CalderaAssessment}"), ReviewerAccess);
        yield return new("POST review decision", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Reviews/{CalderaAssessment}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Outcome"] = "Reject", ["Reason"] = "planted" }),
        }, ReviewerAccess);
        // The residual-risk sign-off of Caldera's proposed approval: risk owners read it; their acceptance reaches the
        // handler, which refuses it (Caldera's questionnaire is not under review) with the page, and nothing changes.
        yield return new("GET residual risk queue", false, _ => new HttpRequestMessage(HttpMethod.Get, "/Reviews/ResidualRisk"), RiskOwnerAccess);
        yield return new("GET residual risk sign-off", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Reviews/ResidualRisk/{TenantIsolationFixture.CalderaRiskProposalId}"), RiskOwnerAccess);
        yield return new("POST residual risk sign-off", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Reviews/ResidualRisk/{TenantIsolationFixture.CalderaRiskProposalId}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Decision"] = "accept", ["Reason"] = "planted" }),
        }, RiskOwnerAccess);
        yield return new("GET evidence file", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/evidence/{evidenceId}"));
        // The evidence library: supplier users only, each organisation its own documents (Meridian's users find nothing).
        var document = TenantIsolationFixture.CalderaDocumentId;
        yield return new("GET evidence library document", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Evidence/Documents/{document}"), LibraryAccess);
        yield return new("GET evidence library version", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Evidence/Documents/{document}?handler=File&versionId={TenantIsolationFixture.CalderaVersionId}"), LibraryAccess);
        yield return new("POST evidence library details", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Evidence/Documents/{document}?handler=Details")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Title"] = "planted", ["Input.Category"] = "Other", ["Input.Version"] = "1" }),
        }, LibraryAccess);
        yield return new("POST evidence library replace", true, token =>
        {
            var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
            content.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n")), "file", "planted.pdf");
            return new HttpRequestMessage(HttpMethod.Post, $"/Evidence/Documents/{document}?handler=Replace") { Content = content };
        }, LibraryAccess);
        yield return new("POST evidence library link", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Evidence/Documents/{document}?handler=Link")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["target"] = $"{CalderaAssessment}|IMP-02" }),
        }, LibraryAccess);
        yield return new("POST evidence upload (drop zone)", true, token =>
        {
            var content = new MultipartFormDataContent();
            content.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n")), "file", "planted.pdf");
            var request = new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{CalderaAssessment}/questions/LEAD-01/evidence") { Content = content };
            request.Headers.Add("RequestVerificationToken", token);
            return request;
        }, LibraryAccess);
        yield return new("GET evidence reuse page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Evidence/Reuse/{CalderaAssessment}"), LibraryAccess);
        yield return new("POST evidence reuse link", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Evidence/Reuse/{CalderaAssessment}?handler=Link")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["documentId"] = document.ToString() }),
        }, LibraryAccess);
        yield return new("POST evidence reuse link all", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Evidence/Reuse/{CalderaAssessment}?handler=LinkAll")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        }, LibraryAccess);
        // The answering page's section delegation and "Add from library" picker (supplier users of the questionnaire's own organisation).
        yield return new("GET assign sections page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Assessments/{CalderaAssessment}/Sections"), LibraryAccess);
        yield return new("POST assign sections", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{CalderaAssessment}/Sections?handler=Assign")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Sections"] = "Leadership", ["AssigneeId"] = Guid.NewGuid().ToString() }),
        }, LibraryAccess);
        yield return new("POST unassign sections", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{CalderaAssessment}/Sections?handler=Unassign")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Sections"] = "Leadership" }),
        }, LibraryAccess);
        yield return new("GET add-from-library picker", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Assessments/{CalderaAssessment}/Library?question=IMP-02"), LibraryAccess);
        yield return new("POST add-from-library link", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Assessments/{CalderaAssessment}/Library?question=IMP-02")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["documentId"] = document.ToString() }),
        }, LibraryAccess);
        yield return new("POST save and open library picker", true, token => Post($"/Assessments/{CalderaAssessment}?handler=Library&question=IMP-02", token));
        // Second-party audits: staff who see audits read them; Meridian's users and role-less users find nothing. The
        // writes reach only the handlers' own checks for auditors and administrators (not on Caldera's team: the page
        // answers with the refusal and nothing changes).
        yield return new("GET audit page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}"), AuditReadAccess);
        yield return new("GET audit invitation (.ics)", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Invite"), AuditReadAccess);
        yield return new("GET audit report page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Report"), AuditReadAccess);
        // No report is issued for the fixture's audit: its readers get 404 (nothing to print; AuditRunTests downloads
        // an issued one), everyone else what the report page gives them.
        yield return new("GET audit report PDF", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Report?handler=Pdf"),
            caller => AuditReadAccess(caller) == Access.Allowed ? Access.NotFound : AuditReadAccess(caller));
        yield return new("POST issue audit report", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Report")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Conclusion"] = "planted" }),
        }, AuditWriteAccess);
        yield return new("GET audit checklist page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Run"), AuditReadAccess);
        yield return new("GET audit OSCAL assessment plan", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Oscal&model=assessment-plan"), AuditReadAccess);
        yield return new("GET audit OSCAL assessment results", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Oscal&model=assessment-results"), AuditReadAccess);
        yield return new("GET audit follow-up file", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/Files/{TenantIsolationFixture.CalderaAuditFileId}"));
        // No details: allowed callers get the page back with the handler's messages, so nothing is requested.
        yield return new("POST request audit evidence", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=RequestEvidence")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Category"] = "cargo" }),
        }, AuditWriteAccess);
        yield return new("POST answer audit evidence request", true, token => new HttpRequestMessage(HttpMethod.Post,
            $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=AnswerEvidence&requestId={TenantIsolationFixture.CalderaEvidenceRequestId}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["AnswerText"] = "overwritten by an attacker" }),
        }, RemediationWriteAccess);
        yield return new("POST change audit evidence request", true, token => new HttpRequestMessage(HttpMethod.Post,
            $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=ChangeEvidence&requestId={TenantIsolationFixture.CalderaEvidenceRequestId}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ChangeDetails"] = "reworded by an attacker" }),
        }, AuditWriteAccess);
        // Planning an audit from Caldera's review: the form is for auditors and administrators; Caldera's assessment is
        // not in audit, so the post is refused by the handler and no audit is created.
        yield return new("GET plan audit from review", false, _ => new HttpRequestMessage(HttpMethod.Get,
            $"/Audits/Create?supplierId={DemoData.CalderaSupplierId}&fromAssessment={CalderaAssessment}"), AuditWriteAccess);
        yield return new("POST plan audit from review", true, token => new HttpRequestMessage(HttpMethod.Post,
            $"/Audits/Create?supplierId={DemoData.CalderaSupplierId}&fromAssessment={CalderaAssessment}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Type"] = "DocumentReview", ["Objectives"] = "planted", ["ScopeSites"] = "planted",
                ["CriteriaClauses"] = "8", ["Declaration"] = "independent",
            }),
        }, AuditWriteAccess);
        yield return new("POST accept audit slot", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Accept")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["slotId"] = TenantIsolationFixture.CalderaAuditSlotId.ToString() }),
        }, AuditWriteAccess);
        yield return new("POST propose audit slots", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Propose")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Proposals[0].Start"] = "2030-01-07T09:00", ["Proposals[0].End"] = "2030-01-07T12:00",
            }),
        }, AuditWriteAccess);
        yield return new("POST audit step", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Run?handler=Step&number=1")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Records"] = "planted", ["complete"] = "true" }),
        }, AuditWriteAccess);
        yield return new("POST audit finding", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Run?handler=Finding")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Reference"] = "8", ["Grade"] = "Conformity", ["Evidence"] = "planted" }),
        }, AuditWriteAccess);
        // The offline workbook: staff who see audits download it; importing is for assigned auditors (others get the
        // page with the refusal: no file, no preview); supplier users, Caldera's own included, find nothing.
        yield return new("GET audit offline page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Offline"), AuditReadAccess);
        yield return new("GET audit offline workbook", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Offline?handler=Export"), AuditReadAccess);
        yield return new("POST audit offline preview", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Offline?handler=Preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        }, AuditWriteAccess);
        yield return new("POST audit offline import", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}/Offline?handler=Apply")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Payload"] = "planted", ["Fingerprint"] = "planted" }),
        }, AuditWriteAccess);
        // Rescheduling the confirmed visit: another organisation finds nothing; staff off the team get the refusal.
        yield return new("POST reschedule audit visit", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Audits/{TenantIsolationFixture.CalderaAuditId}?handler=Reschedule")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Proposals[0].Start"] = "2030-01-08T09:00", ["Proposals[0].End"] = "2030-01-08T12:00", ["Reason"] = "planted",
            }),
        }, AuditWriteAccess);
        // The supplier page and procurement's questionnaire pages are for operator staff only: Caldera's own users get 404 too.
        yield return new("GET supplier page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Suppliers/{DemoData.CalderaSupplierId}"), OperatorStaffOnly);
        yield return new("GET issue questionnaire page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Suppliers/{DemoData.CalderaSupplierId}/Issue"), ProcurementOnly);
        // Procurement's posts are allowed and answer 200 without changing Caldera: it already has an open
        // questionnaire (a second is refused) and the posts carry no due date or reason (the extension is refused).
        yield return new("POST issue questionnaire", true, token => Post($"/Suppliers/{DemoData.CalderaSupplierId}/Issue", token), ProcurementOnly);
        yield return new("GET due date page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Suppliers/{DemoData.CalderaSupplierId}/Assessments/{CalderaAssessment}/Deadline"), ProcurementOnly);
        yield return new("POST extend due date", true, token => Post($"/Suppliers/{DemoData.CalderaSupplierId}/Assessments/{CalderaAssessment}/Deadline?handler=Extend", token), ProcurementOnly);
        yield return new("POST save answers", true, token => Post($"/Assessments/{CalderaAssessment}?handler=Save", token));
        yield return new("POST submit", true, token => Post($"/Assessments/{CalderaAssessment}?handler=Submit", token));
        yield return new("POST autosave answers", true, token => Post($"/Assessments/{CalderaAssessment}?handler=Autosave", token));
        yield return new("GET tier page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Suppliers/{DemoData.CalderaSupplierId}/Tier"), TieringAccess);
        // Caldera's site: procurement's page for the supplier (a post without a name is refused on the page, so nothing
        // changes), and the organisation's own page, which another organisation's users find nothing on.
        var site = DemoSites.CalderaPlantId;
        yield return new("GET supplier site page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Suppliers/{DemoData.CalderaSupplierId}/Sites/{site}"), ProcurementOnly);
        yield return new("POST change supplier site", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Suppliers/{DemoData.CalderaSupplierId}/Sites/{site}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Input.Name"] = "", ["Input.City"] = "planted" }),
        }, ProcurementOnly);
        yield return new("GET organisation site page", false, _ => new HttpRequestMessage(HttpMethod.Get, $"/Organisation/Sites/{site}"), LibraryAccess);
        yield return new("POST change organisation site", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Organisation/Sites/{site}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Input.Name"] = "planted", ["Input.Function"] = "Office", ["Input.AddressLine1"] = "planted",
                ["Input.City"] = "planted", ["Input.Country"] = "DE",
            }),
        }, LibraryAccess);
        yield return new("POST retire organisation site", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Organisation/Sites/{site}?handler=Retire")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        }, LibraryAccess);
        // A justification too short to pass: allowed callers get the page back with the message, so Caldera's tier never changes.
        yield return new("POST tier override", true, token => new HttpRequestMessage(HttpMethod.Post, $"/Suppliers/{DemoData.CalderaSupplierId}/Tier?handler=Override")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["OverrideTier"] = "Excluded", ["Justification"] = "short" }),
        }, TieringAccess);
    }

    /// <summary>The evidence library: another organisation's supplier users find nothing; nobody else may open it.</summary>
    private static Access LibraryAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        _ => Access.Forbidden,
    };

    /// <summary>The supplier page: every operator role; anyone else, a supplier's own users included, gets 404.</summary>
    private static Access OperatorStaffOnly(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" or Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        _ => Access.Allowed,
    };

    /// <summary>Audit pages: administrators, auditors and procurement read; other staff 403; suppliers (not Caldera's) and role-less users 404.</summary>
    private static Access AuditReadAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" or Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        Roles.Administrator or Roles.Auditor or Roles.ProcurementManager => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>The handshake posts: a supplier of another organisation finds nothing; auditors and administrators get the handler's refusal (200).</summary>
    private static Access AuditWriteAccess(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" or Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        Roles.Administrator or Roles.Auditor => Access.Allowed,
        _ => Access.Forbidden,
    };

    /// <summary>Procurement's questionnaire pages: procurement and administrators; other staff 403; anyone else 404.</summary>
    private static Access ProcurementOnly(string caller) => caller switch
    {
        "anonymous" => Access.SignInRequired,
        "no-role" or Roles.SupplierAdmin or Roles.SupplierContributor => Access.NotFound,
        Roles.ProcurementManager or Roles.Administrator => Access.Allowed,
        _ => Access.Forbidden,
    };

    private static HttpRequestMessage Post(string path, string token)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("IMP-02"), "Answers[0].QuestionCode" },
            { new StringContent("overwritten by an attacker"), "Answers[0].Value" },
            { new StringContent("LEAD-01"), "Answers[1].QuestionCode" },
            { new StringContent("no"), "Answers[1].Value" },
        };
        var file = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n"));
        content.Add(file, "evidence-LEAD-01", "planted.pdf");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }
}
