using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>
/// The demo's second-party audit: an on-site audit of Meridian, led by the demo auditor, with its visit confirmed two
/// weeks after seeding and the first step (objectives, scope, criteria) done, so the calendar, the .ics and the
/// checklist have something to show from the first start.
/// </summary>
public static class DemoAudit
{
    public const string SeedName = "demo-audit-v1";
    public const string AuditorUserEmail = "auditor@operator.example";
    public static readonly Guid MeridianAuditId = new("a0d17000-0000-4000-8000-000000000001");

    public static async Task SeedAsync(SupplierAssureDbContext db, Guid auditorId, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(14);
        var start = day.AddHours(9);
        var end = day.AddHours(16);
        var audit = new SupplierAudit
        {
            Id = MeridianAuditId,
            SupplierId = DemoData.MeridianSupplierId,
            AssessmentId = DemoData.MeridianAssessmentId,
            Type = AuditType.OnSite,
            Objectives = "Confirm that the seal, access and driver controls Meridian describes in its questionnaire work in practice at its main depot.",
            ScopeSites = "Felixstowe cross-dock depot",
            ScopeProcesses = "Inbound receiving, container sealing, driver hand-over",
            ScopeModes = "Road",
            CriteriaClauses = "4,5,6,8,10",
            OwnRequirements = "Harbourline carrier security annex, version 3",
            LeadAuditorId = auditorId,
            State = AuditState.Scheduled,
            CreatedAt = now,
            VisitStart = start,
            VisitEnd = end,
            VisitConfirmedAt = now,
            VisitConfirmedBy = auditorId,
        };
        db.Add(audit);
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, UserId = auditorId, IsLead = true,
            Declaration = IndependenceDeclaration.Independent, DeclarationNote = "Declared no conflict of interest when creating the audit.",
            DeclaredAt = now, AddedAt = now,
        });
        db.Add(new AuditSlot
        {
            Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, Start = start, End = end, ProposedBy = auditorId,
            ProposedAt = now, State = SlotState.Accepted, DecidedAt = now, DecidedBy = auditorId, Note = "Agreed by telephone with the depot manager.",
        });
        foreach (var step in AuditSteps.All)
        {
            db.Add(new AuditStep
            {
                Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = audit.SupplierId, Number = step.Number,
                Records = step.Number == 1 ? "Objectives, scope and criteria agreed with procurement; see the audit summary." : null,
                CompletedAt = step.Number == 1 ? now : null,
                CompletedBy = step.Number == 1 ? auditorId : null,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
