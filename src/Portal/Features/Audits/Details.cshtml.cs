using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>A team member as the page lists it.</summary>
public sealed record TeamRow(Guid UserId, string Name, bool IsLead, IndependenceDeclaration Declaration, string? Note, DateTimeOffset? DeclaredAt);

/// <summary>A finding as the page lists it, with the remediation case a released nonconformity opened.</summary>
public sealed record FindingRow(AuditFinding Finding, Guid? RemediationId);

/// <summary>
/// One audit: what it covers, the team and their independence declarations, the scheduling handshake (proposed
/// slots, acceptance, the confirmed visit and its .ics), and the findings (for the supplier, only once released).
/// </summary>
[Authorize]
public sealed class DetailsModel(
    SupplierAssureDbContext db,
    AuditTeamHandler team,
    SchedulingHandler scheduling,
    VisitInviteBuilder invites,
    AuditMail mail,
    EvidenceRequestsHandler evidenceRequests,
    AuditFileStager stager) : PageModel
{
    /// <summary>An evidence request as the page lists it, with the files of the answer.</summary>
    public sealed record EvidenceRequestRow(EvidenceRequest Request, EvidenceCategory Category, IReadOnlyList<AuditFile> Files);

    public IReadOnlyList<EvidenceRequestRow> EvidenceRequests { get; private set; } = [];

    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Details { get; set; }

    [BindProperty]
    public DateOnly? DueOn { get; set; }

    [BindProperty]
    public string? AnswerText { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>The request's version the answer or change form was read at (optimistic concurrency).</summary>
    [BindProperty]
    public long? BaseVersion { get; set; }

    [BindProperty]
    public string? ChangeDetails { get; set; }

    [BindProperty]
    public DateOnly? ChangeDueOn { get; set; }

    /// <summary>The evidence request whose answer or change form was posted and refused: its form shows again with the user's values.</summary>
    public Guid? PostedRequestId { get; private set; }

    /// <summary>Why the posted answer or change was refused (a conflict with another save), shown by that request.</summary>
    public string? RequestConflict { get; private set; }

    public SupplierAudit Audit { get; private set; } = null!;
    public string SupplierName { get; private set; } = string.Empty;
    public IReadOnlyList<TeamRow> Team { get; private set; } = [];
    public IReadOnlyList<AuditSlot> Slots { get; private set; } = [];
    public IReadOnlyList<FindingRow> Findings { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Auditors { get; private set; } = [];
    public bool IsSupplierUser { get; private set; }
    public bool IsAssigned { get; private set; }
    public bool CanManageTeam { get; private set; }
    public bool HasOpenCorrectiveActions { get; private set; }
    public TeamRow? MyPendingDeclaration { get; private set; }

    /// <summary>When the audit was planned from a review's audit route: the assessment's issue date.</summary>
    public DateTimeOffset? OriginIssuedAt { get; private set; }

    [BindProperty]
    public List<SlotForm> Proposals { get; set; } = [new(), new(), new()];

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public Guid? AuditorId { get; set; }

    /// <summary>"independent" or "conflict".</summary>
    [BindProperty]
    public string? Declaration { get; set; }

    [TempData]
    public string? Message { get; set; }

    public sealed class SlotForm
    {
        public DateTime? Start { get; set; }
        public DateTime? End { get; set; }
    }

    /// <summary>Whether the user may propose slots now (the auditors' side or the supplier's), for the form.</summary>
    public bool CanPropose => Audit.IsSchedulable && (IsAssigned || (IsSupplierUser && Audit.State == AuditState.Scheduling));

    /// <summary>The reason for moving a confirmed visit (the reschedule form).</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>Whether the user may withdraw the confirmed visit and propose new times: either side, before the opening meeting.</summary>
    public bool CanReschedule => Audit.State == AuditState.Scheduled && Audit.VisitStart is not null && (IsAssigned || IsSupplierUser);

    /// <summary>Whether the user may accept <paramref name="slot"/>: the side that did not propose it.</summary>
    public bool CanAccept(AuditSlot slot) =>
        Audit.IsSchedulable && slot.State == SlotState.Proposed && (slot.ProposedBySupplier ? IsAssigned : IsSupplierUser);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        Refusal() ?? (await LoadAsync(id, cancellationToken) ? Page() : NotFound());

    /// <summary>The confirmed visit as an iCalendar file.</summary>
    public async Task<IActionResult> OnGetInviteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        var invitation = await invites.BuildAsync(id, cancellationToken);
        return invitation is null
            ? NotFound()
            : File(System.Text.Encoding.UTF8.GetBytes(invitation.Calendar), "text/calendar; charset=utf-8", invitation.FileName);
    }

    /// <summary>
    /// The audit as OSCAL JSON (model: assessment-plan, assessment-results or poam). Same access as the page; the
    /// exporter reads through the tenant filter, so a supplier gets only released findings.
    /// </summary>
    public async Task<IActionResult> OnGetOscalAsync(Guid id, string? model, [FromServices] OscalExporter oscal, CancellationToken cancellationToken)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (OscalExporter.Parse(model) is not { } kind)
        {
            return BadRequest(new ProblemDetails
            {
                Title = "Unknown export",
                Detail = "model must be assessment-plan, assessment-results or poam.",
                Status = StatusCodes.Status400BadRequest,
            });
        }

        var document = await oscal.ExportAsync(id, kind, cancellationToken);
        if (document is null)
        {
            if (kind == OscalModel.Poam && await db.Set<SupplierAudit>().AnyAsync(a => a.Id == id, cancellationToken))
            {
                Message = "This audit has no open corrective actions, so there is no plan of action and milestones to export.";
                return RedirectToPage(new { id });
            }

            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        return File(document.Json, "application/json", document.FileName);
    }

    public async Task<IActionResult> OnPostRequestEvidenceAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true, staffOnly: true) is { } refused)
        {
            return refused;
        }

        var outcome = await evidenceRequests.RequestAsync(new RequestEvidenceRequest(id, AuditAccess.Actor(User), Category, Details, DueOn), cancellationToken);
        return await ShowAsync(id, outcome, "Evidence requested; the supplier answers on this page.", cancellationToken);
    }

    public async Task<IActionResult> OnPostAnswerEvidenceAsync(Guid id, Guid requestId, CancellationToken cancellationToken)
    {
        if (!AuditAccess.IsSupplierUser(User))
        {
            return AuditAccess.IsStaff(User) ? Forbid() : NotFound();
        }

        var actor = AuditAccess.Actor(User);
        var request = await db.Set<EvidenceRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId && r.AuditId == id, cancellationToken);
        if (request is null)
        {
            return NotFound();
        }

        var incoming = Files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        var staged = await stager.StageAsync([.. incoming.Select(f => new IncomingFile(f.FileName, f.OpenReadStream()))], request.SupplierId, actor.UserId, nameof(Files), cancellationToken);
        if (!staged.Succeeded)
        {
            return await ShowAsync(id, staged, string.Empty, cancellationToken);
        }

        Outcome outcome;
        try
        {
            outcome = await evidenceRequests.AnswerAsync(new AnswerEvidenceRequest(requestId, actor, AnswerText, staged.Value!) { BaseVersion = BaseVersion }, cancellationToken);
        }
        catch
        {
            // No orphan bytes: the files' rows were not saved.
            await stager.DiscardAsync(staged.Value!);
            throw;
        }

        if (!outcome.Succeeded)
        {
            await stager.DiscardAsync(staged.Value!);
            Remember(requestId, outcome);
        }

        return await ShowAsync(id, outcome, $"Answer sent with {staged.Value!.Count} file(s).", cancellationToken);
    }

    /// <summary>An assigned auditor rewords an open evidence request or moves its due date.</summary>
    public async Task<IActionResult> OnPostChangeEvidenceAsync(Guid id, Guid requestId, CancellationToken cancellationToken)
    {
        if (Refusal(write: true, staffOnly: true) is { } refused)
        {
            return refused;
        }

        if (!await db.Set<EvidenceRequest>().AnyAsync(r => r.Id == requestId && r.AuditId == id, cancellationToken))
        {
            return NotFound();
        }

        var outcome = await evidenceRequests.ChangeAsync(new ChangeEvidenceRequest(requestId, AuditAccess.Actor(User), ChangeDetails, ChangeDueOn, BaseVersion), cancellationToken);
        if (!outcome.Succeeded)
        {
            Remember(requestId, outcome);
        }

        return await ShowAsync(id, outcome, "Request changed; the supplier sees the new wording.", cancellationToken);
    }

    private void Remember(Guid requestId, Outcome outcome)
    {
        PostedRequestId = requestId;
        if (outcome.Status == OutcomeStatus.Conflict)
        {
            RequestConflict = string.Join(" ", outcome.Errors.SelectMany(e => e.Value));
        }
    }

    public async Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var slots = Proposals.Select(p => new SlotInput(AsUtc(p.Start), AsUtc(p.End))).ToList();
        var outcome = await scheduling.ProposeAsync(new ProposeSlotsRequest(id, AuditAccess.Actor(User), slots, Note), cancellationToken);
        return await ShowAsync(id, outcome, $"{outcome.Value?.Count ?? 0} time(s) proposed.", cancellationToken);
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, Guid slotId, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var outcome = await scheduling.AcceptAsync(new AcceptSlotRequest(id, AuditAccess.Actor(User), slotId), cancellationToken);
        if (outcome.Succeeded)
        {
            var sent = await mail.SendInvitationAsync(id, cancellationToken);
            Message = $"Visit confirmed {SchedulingHandler.Describe(outcome.Value!.VisitStart!.Value, outcome.Value.VisitEnd!.Value)}; the invitation went to {sent} people.";
            return RedirectToPage(new { id });
        }

        return await ShowAsync(id, outcome, string.Empty, cancellationToken);
    }

    /// <summary>Moves a confirmed visit: the confirmation is withdrawn (.ics cancellation to everyone) and new times are proposed.</summary>
    public async Task<IActionResult> OnPostRescheduleAsync(Guid id, [FromServices] RescheduleHandler reschedule, CancellationToken cancellationToken)
    {
        if (Refusal(write: true) is { } refused)
        {
            return refused;
        }

        var slots = Proposals.Select(p => new SlotInput(AsUtc(p.Start), AsUtc(p.End))).ToList();
        var outcome = await reschedule.RescheduleAsync(new RescheduleRequest(id, AuditAccess.Actor(User), slots, Reason), cancellationToken);
        if (!outcome.Succeeded)
        {
            return await ShowAsync(id, outcome, string.Empty, cancellationToken);
        }

        var done = outcome.Value!;
        var sent = await mail.SendCancellationAsync(done, cancellationToken);
        Message = $"The visit {SchedulingHandler.Describe(done.CancelledStart, done.CancelledEnd)} is withdrawn and the cancellation went to {sent} people; "
            + $"{done.Proposed.Count} new time(s) proposed. The other side accepts one to confirm the visit again.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostAddMemberAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true, staffOnly: true) is { } refused)
        {
            return refused;
        }

        var outcome = await team.AddAsync(new AddTeamMemberRequest(id, AuditAccess.Actor(User), AuditorId), cancellationToken);
        return await ShowAsync(id, outcome, "Auditor asked to join; they are assigned once they declare their independence.", cancellationToken);
    }

    public async Task<IActionResult> OnPostDeclareAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Refusal(write: true, staffOnly: true) is { } refused)
        {
            return refused;
        }

        if (Declaration is not ("independent" or "conflict"))
        {
            return await ShowAsync(id, Outcome.Invalid(nameof(Declaration), "Choose whether you are independent of this supplier or have a conflict of interest."), string.Empty, cancellationToken);
        }

        var independent = Declaration == "independent";
        var outcome = await team.DeclareAsync(new DeclareIndependenceRequest(id, AuditAccess.Actor(User), independent, Note), cancellationToken);
        return await ShowAsync(id, outcome,
            independent ? "Independence declared; you are assigned to this audit." : "Conflict of interest recorded; you are not assigned to this audit.", cancellationToken);
    }

    /// <summary>
    /// Null when the user may go on; otherwise the answer. Reads: supplier users (tenant filter decides) and the
    /// viewing staff roles. Writes: supplier users and auditors/administrators; the handlers check the rest.
    /// </summary>
    private IActionResult? Refusal(bool write = false, bool staffOnly = false)
    {
        if (AuditAccess.IsSupplierUser(User))
        {
            return staffOnly ? NotFound() : null;
        }

        if (!AuditAccess.IsStaff(User))
        {
            return NotFound();
        }

        return (write ? AuditAccess.CanAudit(User) : AuditAccess.CanView(User)) ? null : Forbid();
    }

    private async Task<IActionResult> ShowAsync(Guid id, Outcome outcome, string success, CancellationToken cancellationToken)
    {
        switch (outcome.Status)
        {
            case OutcomeStatus.Ok:
                Message = success;
                return RedirectToPage(new { id });
            case OutcomeStatus.NotFound:
                return NotFound();
            default:
                ModelState.AddOutcomeErrors(outcome);

                return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
    }

    private static DateTimeOffset? AsUtc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (audit is null)
        {
            return false;
        }

        Audit = audit;
        IsSupplierUser = AuditAccess.IsSupplierUser(User);
        OriginIssuedAt = audit.OriginAssessmentId is { } origin
            ? await db.Assessments.AsNoTracking().Where(x => x.Id == origin).Select(x => (DateTimeOffset?)x.IssuedAt).SingleOrDefaultAsync(cancellationToken)
            : null;
        var userId = AuditAccess.UserId(User);
        SupplierName = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        Team = await (from m in db.Set<AuditTeamMember>().AsNoTracking()
                      join u in db.Users on m.UserId equals u.Id
                      where m.AuditId == id
                      orderby m.IsLead descending, m.AddedAt
                      select new TeamRow(m.UserId, u.DisplayName, m.IsLead, m.Declaration, m.DeclarationNote, m.DeclaredAt)).ToListAsync(cancellationToken);
        IsAssigned = !IsSupplierUser && Team.Any(t => t.UserId == userId && t.Declaration == IndependenceDeclaration.Independent);
        MyPendingDeclaration = IsSupplierUser ? null : Team.FirstOrDefault(t => t.UserId == userId && t.Declaration == IndependenceDeclaration.Pending);
        CanManageTeam = !IsSupplierUser && (audit.LeadAuditorId == userId || (AuditAccess.IsStaff(User) && User.IsInRole(Roles.Administrator)))
            && audit.State is not (AuditState.FindingsReleased or AuditState.Completed);
        Slots = await db.Set<AuditSlot>().AsNoTracking().Where(s => s.AuditId == id).OrderBy(s => s.Start).ToListAsync(cancellationToken);
        var findings = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == id).OrderBy(f => f.RecordedAt).ToListAsync(cancellationToken);
        var raised = findings.Where(f => f.AssessmentFindingId != null).Select(f => f.AssessmentFindingId!.Value).ToList();
        var cases = await db.Set<RemediationCase>().AsNoTracking().Where(r => raised.Contains(r.FindingId))
            .ToDictionaryAsync(r => r.FindingId, r => r.Id, cancellationToken);
        Findings = [.. findings.Select(f => new FindingRow(f, f.AssessmentFindingId is { } a && cases.TryGetValue(a, out var c) ? c : null))];
        var requests = await db.Set<EvidenceRequest>().AsNoTracking().Where(r => r.AuditId == id).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        var requestIds = requests.Select(r => r.Id).ToList();
        var requestFiles = (await db.Set<AuditFile>().AsNoTracking().Where(f => f.EvidenceRequestId != null && requestIds.Contains(f.EvidenceRequestId.Value))
            .ToListAsync(cancellationToken)).OrderBy(f => f.UploadedAt).ToLookup(f => f.EvidenceRequestId!.Value);
        EvidenceRequests = [.. requests.Select(r => new EvidenceRequestRow(r, EvidenceCategories.Find(r.Category)!, [.. requestFiles[r.Id]]))];
        HasOpenCorrectiveActions = await db.Set<RemediationCase>().AnyAsync(r => raised.Contains(r.FindingId) && r.State != RemediationState.Closed, cancellationToken);
        if (CanManageTeam)
        {
            var onTeam = Team.Select(t => t.UserId).ToList();
            Auditors = (await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               join u in db.Users on ur.UserId equals u.Id
                               where r.Name == Roles.Auditor && u.SupplierId == null && !onTeam.Contains(u.Id)
                               orderby u.DisplayName
                               select new { u.Id, u.DisplayName }).ToListAsync(cancellationToken))
                .Select(a => (a.Id, a.DisplayName)).ToList();
        }

        return true;
    }
}
