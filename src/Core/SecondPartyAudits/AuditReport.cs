using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>
/// One issued revision of an audit's report: a frozen snapshot (JSON) of the audit as it stood when issued, with its
/// SHA-256, so the printed report never changes after issue. A correction is a new revision with a reason.
/// </summary>
public sealed class AuditReport : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }
    public int Revision { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public Guid IssuedBy { get; set; }

    /// <summary>Why this revision replaces the previous one; null for revision 1.</summary>
    public string? RevisionReason { get; set; }
    public required string SnapshotJson { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="SnapshotJson"/> (UTF-8).</summary>
    public required string Sha256 { get; set; }
}

public sealed record ReportStep(int Number, string Title, string? Records, DateTimeOffset? CompletedAt);

public sealed record ReportFinding(string Reference, AuditGrade Grade, string Evidence, string? Site);

/// <summary>What an issued report says, frozen at issue.</summary>
public sealed record ReportSnapshot(
    string SupplierName,
    AuditType Type,
    string Objectives,
    string? ScopeSites,
    string? ScopeProcesses,
    string? ScopeModes,
    string CriteriaClauses,
    string? OwnRequirements,
    DateTimeOffset? VisitStart,
    DateTimeOffset? VisitEnd,
    IReadOnlyList<string> Team,
    string Conclusion,
    IReadOnlyList<ReportStep> Steps,
    IReadOnlyList<ReportFinding> Findings);

public sealed record IssueReportRequest(Guid AuditId, AuditActor Actor, string? Conclusion, string? RevisionReason);

/// <summary>
/// Issues the audit report once the closing meeting released the findings (an assigned auditor, with a conclusion).
/// Each issue is a new revision; from the second on, the reason for the revision is required. Revisions are never
/// updated or deleted. For an audit planned from a review's audit route, the first revision also completes that
/// review's audit step through <see cref="Reviews.CompleteAuditHandler"/>, in the same transaction as the report, and
/// signals the review workflow after the commit; the decision is kept on the audit, so later revisions (and a report
/// issued after the quick form already completed the step) leave the review alone.
/// </summary>
public sealed class IssueReportHandler(SupplierAssureDbContext db, TimeProvider clock, Reviews.CompleteAuditHandler reviewAudit)
{
    public const int MaxConclusionLength = 4000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<AuditReport>> HandleAsync(IssueReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Tracked: the first report of an audit planned from a review records the review decision on it.
        var audit = await db.Set<SupplierAudit>().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null || request.Actor.IsSupplierUser)
        {
            return Outcome<AuditReport>.From(Outcome.NotFound());
        }

        if (!await AuditTeamHandler.IsAssignedAsync(db, audit.Id, request.Actor.UserId, cancellationToken))
        {
            return Outcome<AuditReport>.From(Outcome.Conflict("Only auditors assigned to this audit (independence declared) issue its report."));
        }

        if (audit.FindingsReleasedAt is null)
        {
            return Outcome<AuditReport>.From(Outcome.Conflict("The report is issued after the closing meeting (step 8)."));
        }

        var last = await db.Set<AuditReport>().Where(r => r.AuditId == audit.Id).MaxAsync(r => (int?)r.Revision, cancellationToken) ?? 0;
        var errors = new Dictionary<string, string[]>();
        AuditText.Require(errors, "Conclusion", request.Conclusion, MaxConclusionLength, "Write the audit's conclusion.");
        if (last > 0)
        {
            AuditText.Require(errors, "RevisionReason", request.RevisionReason, SupplierAudit.MaxShortTextLength, $"Say why revision {last + 1} replaces revision {last}.");
        }

        if (errors.Count > 0)
        {
            return Outcome<AuditReport>.From(Outcome.Invalid(errors));
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var team = await (from m in db.Set<AuditTeamMember>().AsNoTracking()
                          join u in db.Users on m.UserId equals u.Id
                          where m.AuditId == audit.Id && m.Declaration == IndependenceDeclaration.Independent
                          orderby m.IsLead descending, u.DisplayName
                          select m.IsLead ? u.DisplayName + " (lead)" : u.DisplayName).ToListAsync(cancellationToken);
        var steps = await db.Set<AuditStep>().AsNoTracking().Where(s => s.AuditId == audit.Id).OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var findings = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == audit.Id).OrderBy(f => f.RecordedAt).ToListAsync(cancellationToken);
        var snapshot = new ReportSnapshot(
            supplier, audit.Type, audit.Objectives, audit.ScopeSites, audit.ScopeProcesses, audit.ScopeModes, audit.CriteriaClauses, audit.OwnRequirements,
            audit.VisitStart, audit.VisitEnd, team, request.Conclusion!.Trim(),
            [.. steps.Select(s => new ReportStep(s.Number, AuditSteps.Get(s.Number).Title, s.Records, s.CompletedAt))],
            [.. findings.Select(f => new ReportFinding(f.Reference, f.Grade, f.Evidence, f.Site))]);
        var json = JsonSerializer.Serialize(snapshot, Json);
        var report = new AuditReport
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = audit.SupplierId,
            Revision = last + 1,
            IssuedAt = clock.GetUtcNow(),
            IssuedBy = request.Actor.UserId,
            RevisionReason = last == 0 ? null : request.RevisionReason!.Trim(),
            SnapshotJson = json,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))),
        };
        db.Add(report);
        var reviewStep = await reviewAudit.StageFromAuditReportAsync(audit, findings, request.Conclusion!.Trim(), report.Revision, request.Actor.UserId, report.IssuedAt, cancellationToken);
        try
        {
            if (reviewStep is null)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            else if (await reviewAudit.CommitAsync(reviewStep, cancellationToken) is { Succeeded: false } refused)
            {
                // The assessment or the audit changed meanwhile: nothing was saved, the report included.
                db.ChangeTracker.Clear();
                return Outcome<AuditReport>.From(refused);
            }
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // The unique (audit, revision) index: someone issued the same revision a moment earlier.
            return Outcome<AuditReport>.From(Outcome.Conflict($"Revision {last + 1} was issued by someone else a moment ago. Reload and try again."));
        }

        return Outcome<AuditReport>.Ok(report);
    }

    public static ReportSnapshot Read(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Deserialize<ReportSnapshot>(report.SnapshotJson, Json)
            ?? throw new InvalidOperationException($"Report {report.Id} has an empty snapshot.");
    }
}
