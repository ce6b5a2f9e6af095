using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>
/// A new audit, led by the auditor who creates it. <paramref name="DeclaresIndependence"/> is the lead's declaration
/// for this supplier; a <paramref name="ConflictNote"/> means a declared conflict, which refuses the audit.
/// </summary>
public sealed record CreateAuditRequest(
    Guid SupplierId,
    Guid LeadAuditorId,
    AuditType? Type,
    string? Objectives,
    string? ScopeSites,
    string? ScopeProcesses,
    string? ScopeModes,
    string? CriteriaClauses,
    string? OwnRequirements,
    bool DeclaresIndependence,
    string? ConflictNote)
{
    /// <summary>
    /// The assessment whose review routed it to audit, when the audit is planned from /Reviews/{id}/Audit: it must be
    /// this supplier's and still waiting for its audit, and a review has one such audit. The audit's findings are then
    /// raised against it and its first report completes the review's audit step.
    /// </summary>
    public Guid? OriginAssessmentId { get; init; }
}

/// <summary>
/// Creates an audit with its lead (independent by declaration), its ten plan steps and the link to the supplier's
/// latest assessment, in one save. A declared conflict of interest, or no declaration at all, refuses it and
/// writes nothing: the assignment is blocked, so someone else must lead.
/// </summary>
public sealed class CreateAuditHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome<SupplierAudit>> HandleAsync(CreateAuditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var supplier = await db.Suppliers.AsNoTracking()
            .Where(s => s.Id == request.SupplierId)
            .Select(s => new { s.Id, s.LegalName })
            .SingleOrDefaultAsync(cancellationToken);
        if (supplier is null)
        {
            return Outcome<SupplierAudit>.From(Outcome.NotFound());
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Type is not { } type || !Enum.IsDefined(type))
        {
            errors["Type"] = ["Choose the kind of audit."];
        }

        AuditText.Require(errors, "Objectives", request.Objectives, SupplierAudit.MaxTextLength, "Say what the audit must establish.");
        AuditText.Optional(errors, "ScopeSites", request.ScopeSites, SupplierAudit.MaxShortTextLength);
        AuditText.Optional(errors, "ScopeProcesses", request.ScopeProcesses, SupplierAudit.MaxShortTextLength);
        AuditText.Optional(errors, "ScopeModes", request.ScopeModes, SupplierAudit.MaxShortTextLength);
        AuditText.Optional(errors, "OwnRequirements", request.OwnRequirements, SupplierAudit.MaxTextLength);
        if (string.IsNullOrWhiteSpace(request.ScopeSites) && string.IsNullOrWhiteSpace(request.ScopeProcesses) && string.IsNullOrWhiteSpace(request.ScopeModes))
        {
            errors["ScopeSites"] = ["Name at least one site, process or transport mode in scope."];
        }

        var clauses = AuditCriteria.ParseClauses(request.CriteriaClauses);
        if (clauses is null)
        {
            errors["CriteriaClauses"] = ["List ISO 28000 clauses between 4 and 10, separated by commas."];
        }
        else if (clauses.Count == 0 && string.IsNullOrWhiteSpace(request.OwnRequirements))
        {
            errors["CriteriaClauses"] = ["Audit against at least one ISO 28000 clause or name your own requirements."];
        }

        var conflict = request.ConflictNote?.Trim();
        if (!string.IsNullOrEmpty(conflict))
        {
            errors["Declaration"] = [$"You declared a conflict of interest with {supplier.LegalName}, so you cannot lead this audit. Ask an independent auditor to create it."];
        }
        else if (!request.DeclaresIndependence)
        {
            errors["Declaration"] = ["Declare that you are independent of this supplier, or describe your conflict of interest."];
        }

        if (errors.Count > 0)
        {
            return Outcome<SupplierAudit>.From(Outcome.Invalid(errors));
        }

        if (request.OriginAssessmentId is { } origin && await OriginRefusalAsync(origin, supplier.Id, cancellationToken) is { } refused)
        {
            return Outcome<SupplierAudit>.From(refused);
        }

        var now = clock.GetUtcNow();
        var assessmentId = request.OriginAssessmentId ?? await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == supplier.Id)
            .OrderByDescending(a => a.IssuedAt)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var audit = new SupplierAudit
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            AssessmentId = assessmentId,
            OriginAssessmentId = request.OriginAssessmentId,
            Type = request.Type!.Value,
            Objectives = request.Objectives!.Trim(),
            ScopeSites = AuditText.Clean(request.ScopeSites),
            ScopeProcesses = AuditText.Clean(request.ScopeProcesses),
            ScopeModes = AuditText.Clean(request.ScopeModes),
            CriteriaClauses = string.Join(',', clauses!),
            OwnRequirements = AuditText.Clean(request.OwnRequirements),
            LeadAuditorId = request.LeadAuditorId,
            CreatedAt = now,
        };
        db.Add(audit);
        db.Add(new AuditTeamMember
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = supplier.Id,
            UserId = request.LeadAuditorId,
            IsLead = true,
            Declaration = IndependenceDeclaration.Independent,
            DeclarationNote = "Declared no conflict of interest when creating the audit.",
            DeclaredAt = now,
            AddedAt = now,
        });
        foreach (var step in AuditSteps.All)
        {
            db.Add(new AuditStep { Id = Guid.NewGuid(), AuditId = audit.Id, SupplierId = supplier.Id, Number = step.Number });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (request.OriginAssessmentId is not null)
        {
            // The unique index on the origin: another auditor planned this review's audit a moment earlier.
            db.ChangeTracker.Clear();
            if (await db.Set<SupplierAudit>().AsNoTracking().AnyAsync(a => a.OriginAssessmentId == request.OriginAssessmentId, cancellationToken))
            {
                return Outcome<SupplierAudit>.From(Outcome.Conflict(AlreadyPlanned));
            }

            throw;
        }

        return Outcome<SupplierAudit>.Ok(audit);
    }

    private const string AlreadyPlanned = "An audit has already been planned from this review; open it from the review's audit page.";

    private async Task<Outcome?> OriginRefusalAsync(Guid origin, Guid supplierId, CancellationToken cancellationToken)
    {
        var state = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == origin && a.SupplierId == supplierId)
            .Select(a => (Assessments.AssessmentState?)a.State)
            .SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            return Outcome.NotFound();
        }

        if (state != Assessments.AssessmentState.Audit)
        {
            return Outcome.Conflict($"The assessment is no longer waiting for an audit (it is {state}), so no audit is planned from its review.");
        }

        return await db.Set<SupplierAudit>().AnyAsync(a => a.OriginAssessmentId == origin, cancellationToken) ? Outcome.Conflict(AlreadyPlanned) : null;
    }
}

internal static class AuditText
{
    public static void Require(Dictionary<string, string[]> errors, string field, string? value, int max, string missing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [missing];
        }
        else if (value.Trim().Length > max)
        {
            errors[field] = [$"Keep this under {max} characters."];
        }
    }

    public static void Optional(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = [$"Keep this under {max} characters."];
        }
    }

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
