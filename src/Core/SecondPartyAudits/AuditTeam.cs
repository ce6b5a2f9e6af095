using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>Who acts on an audit: a user, whether they administer the Portal, and their supplier (null for operator staff).</summary>
public sealed record AuditActor(Guid UserId, bool IsAdministrator, Guid? SupplierId)
{
    public bool IsSupplierUser => SupplierId is not null;
}

public sealed record AddTeamMemberRequest(Guid AuditId, AuditActor Actor, Guid? AuditorId);

public sealed record DeclareIndependenceRequest(Guid AuditId, AuditActor Actor, bool Independent, string? Note);

/// <summary>
/// Forms the audit team. The lead (or an administrator) asks an auditor to join; the auditor then declares, for
/// this supplier, independence (and is assigned) or a conflict of interest (and stays off the audit, with the
/// declaration kept as the record).
/// </summary>
public sealed class AuditTeamHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome<AuditTeamMember>> AddAsync(AddTeamMemberRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AuditId, cancellationToken);
        if (audit is null)
        {
            return Outcome<AuditTeamMember>.From(Outcome.NotFound());
        }

        if (!request.Actor.IsAdministrator && audit.LeadAuditorId != request.Actor.UserId)
        {
            return Outcome<AuditTeamMember>.From(Outcome.Conflict("Only the lead auditor or an administrator adds auditors to the team."));
        }

        if (audit.State is AuditState.FindingsReleased or AuditState.Completed)
        {
            return Outcome<AuditTeamMember>.From(Outcome.Conflict("The findings are released; the team can no longer change."));
        }

        if (request.AuditorId is not { } auditorId)
        {
            return Outcome<AuditTeamMember>.From(Outcome.Invalid("AuditorId", "Choose an auditor."));
        }

        var isAuditor = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               join u in db.Users on ur.UserId equals u.Id
                               where ur.UserId == auditorId && r.Name == Roles.Auditor && u.SupplierId == null
                               select ur.UserId).AnyAsync(cancellationToken);
        if (!isAuditor)
        {
            return Outcome<AuditTeamMember>.From(Outcome.Invalid("AuditorId", "Only operator staff with the auditor role can join an audit team."));
        }

        if (await db.Set<AuditTeamMember>().AnyAsync(m => m.AuditId == audit.Id && m.UserId == auditorId, cancellationToken))
        {
            return Outcome<AuditTeamMember>.From(Outcome.Invalid("AuditorId", "This auditor is already on the team (or has declared a conflict for it)."));
        }

        var member = new AuditTeamMember
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = audit.SupplierId,
            UserId = auditorId,
            AddedAt = clock.GetUtcNow(),
        };
        db.Add(member);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<AuditTeamMember>.Ok(member);
    }

    public async Task<Outcome<AuditTeamMember>> DeclareAsync(DeclareIndependenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var member = await db.Set<AuditTeamMember>()
            .SingleOrDefaultAsync(m => m.AuditId == request.AuditId && m.UserId == request.Actor.UserId, cancellationToken);
        if (member is null)
        {
            return Outcome<AuditTeamMember>.From(Outcome.NotFound());
        }

        if (member.Declaration != IndependenceDeclaration.Pending)
        {
            return Outcome<AuditTeamMember>.From(Outcome.Conflict($"You already declared: {Describe(member.Declaration)}."));
        }

        var note = request.Note?.Trim();
        if (!request.Independent && string.IsNullOrEmpty(note))
        {
            return Outcome<AuditTeamMember>.From(Outcome.Invalid("Note", "Describe the conflict of interest (for example a past job, a family tie or a financial interest)."));
        }

        if (note is { Length: > SupplierAudit.MaxShortTextLength })
        {
            return Outcome<AuditTeamMember>.From(Outcome.Invalid("Note", $"Keep this under {SupplierAudit.MaxShortTextLength} characters."));
        }

        member.Declaration = request.Independent ? IndependenceDeclaration.Independent : IndependenceDeclaration.Conflict;
        member.DeclarationNote = string.IsNullOrEmpty(note) ? (request.Independent ? "Declared no conflict of interest." : null) : note;
        member.DeclaredAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<AuditTeamMember>.Ok(member);
    }

    public static string Describe(IndependenceDeclaration declaration) => declaration switch
    {
        IndependenceDeclaration.Independent => "independent, assigned",
        IndependenceDeclaration.Conflict => "conflict of interest, not assigned",
        _ => "declaration pending, not assigned yet",
    };

    /// <summary>True when the user is an assigned member (lead or declared independent) of the audit.</summary>
    public static Task<bool> IsAssignedAsync(SupplierAssureDbContext db, Guid auditId, Guid userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<AuditTeamMember>().AnyAsync(
            m => m.AuditId == auditId && m.UserId == userId && m.Declaration == IndependenceDeclaration.Independent, cancellationToken);
    }
}
