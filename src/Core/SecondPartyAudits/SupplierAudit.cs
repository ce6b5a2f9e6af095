using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>How the auditors look at the supplier.</summary>
public enum AuditType
{
    DocumentReview,
    Remote,
    OnSite,
    FollowUpVerification,
}

/// <summary>
/// Where a second-party audit stands. Planned (created, team being formed) → Scheduling (time slots on the table) →
/// Scheduled (a visit confirmed by both sides) → InProgress (the opening meeting is held) → FindingsReleased (the
/// closing meeting is held: the supplier sees the findings, nonconformities have remediation cases) → Completed
/// (all ten steps done).
/// </summary>
public enum AuditState
{
    Planned,
    Scheduling,
    Scheduled,
    InProgress,
    FindingsReleased,
    Completed,
}

/// <summary>
/// A second-party audit of one supplier by the operator's auditors. Named apart from the hash-chained audit log
/// (<see cref="Auditing.AuditEntry"/>), which records changes, not visits.
/// </summary>
public sealed class SupplierAudit : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>
    /// The supplier's assessment the audit's nonconformities are raised against, so they reach remediation and the
    /// approval rule like any other finding; the latest assessment when the audit was created (null when it had none).
    /// </summary>
    public Guid? AssessmentId { get; set; }

    /// <summary>
    /// Set when the audit was planned from the review of this assessment (its audit route, /Reviews/{id}/Audit); then
    /// equal to <see cref="AssessmentId"/>. Issuing the audit's first report completes that review's audit step.
    /// </summary>
    public Guid? OriginAssessmentId { get; set; }

    /// <summary>The review decision (audit completed) the audit's report recorded for <see cref="OriginAssessmentId"/>.</summary>
    public Guid? ReviewDecisionId { get; set; }

    public AuditType Type { get; set; }
    public required string Objectives { get; set; }
    public string? ScopeSites { get; set; }
    public string? ScopeProcesses { get; set; }
    public string? ScopeModes { get; set; }

    /// <summary>The ISO 28000 clauses audited, as a comma-separated list of clause numbers ("4,5,8").</summary>
    public required string CriteriaClauses { get; set; }

    /// <summary>The operator's own requirements (contract annexes, policies) that are criteria too.</summary>
    public string? OwnRequirements { get; set; }

    public Guid LeadAuditorId { get; set; }
    public AuditState State { get; set; } = AuditState.Planned;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The confirmed visit (or remote session), once both sides agreed a slot.</summary>
    public DateTimeOffset? VisitStart { get; set; }
    public DateTimeOffset? VisitEnd { get; set; }
    public DateTimeOffset? VisitConfirmedAt { get; set; }
    public Guid? VisitConfirmedBy { get; set; }

    /// <summary>When the closing meeting was recorded and the findings became visible to the supplier.</summary>
    public DateTimeOffset? FindingsReleasedAt { get; set; }
    public long Version { get; set; }

    public const int MaxTextLength = 2000;
    public const int MaxShortTextLength = 500;

    /// <summary>True while the visit slots can still be proposed and accepted.</summary>
    public bool IsSchedulable => State is AuditState.Planned or AuditState.Scheduling;
}

public enum IndependenceDeclaration
{
    /// <summary>Asked to join, has not declared yet: not assigned.</summary>
    Pending,

    /// <summary>Declared no conflict of interest with the supplier: assigned.</summary>
    Independent,

    /// <summary>Declared a conflict of interest: blocked from the audit.</summary>
    Conflict,
}

/// <summary>
/// An auditor on an audit's team with their independence declaration for the audited supplier. Only a member who
/// declared independence is assigned (may work on the audit, counts for clashes and gets the invite); a declared
/// conflict keeps them off the audit and is kept as the record of why.
/// </summary>
public sealed class AuditTeamMember : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }
    public Guid UserId { get; set; }
    public bool IsLead { get; set; }
    public IndependenceDeclaration Declaration { get; set; } = IndependenceDeclaration.Pending;

    /// <summary>The auditor's own words: the independence statement or the conflict.</summary>
    public string? DeclarationNote { get; set; }
    public DateTimeOffset? DeclaredAt { get; set; }
    public DateTimeOffset AddedAt { get; set; }

    public bool IsAssigned => Declaration == IndependenceDeclaration.Independent;
}

public enum SlotState
{
    Proposed,
    Accepted,
    Declined,

    /// <summary>Another slot was accepted, so this one lapsed.</summary>
    Superseded,

    /// <summary>Was the confirmed visit; one side asked to reschedule it, so the confirmation was withdrawn.</summary>
    Cancelled,
}

/// <summary>A proposed visit time, by the auditors or by the supplier; the other side accepts it.</summary>
public sealed class AuditSlot : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }

    /// <summary>True when the supplier proposed it (the auditors accept it), false when the auditors did.</summary>
    public bool ProposedBySupplier { get; set; }
    public Guid ProposedBy { get; set; }
    public DateTimeOffset ProposedAt { get; set; }
    public string? Note { get; set; }
    public SlotState State { get; set; } = SlotState.Proposed;
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedBy { get; set; }

    /// <summary>
    /// A new proposal of <paramref name="slot"/> (already validated: both ends set) for <paramref name="audit"/> by
    /// <paramref name="actor"/>, on the supplier's side when the actor is a supplier user. Times are kept in UTC; an
    /// empty note is none. Used by the first proposals and by rescheduling alike.
    /// </summary>
    public static AuditSlot Propose(SupplierAudit audit, SlotInput slot, AuditActor actor, DateTimeOffset now, string? note)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(actor);
        return new AuditSlot
        {
            Id = Guid.NewGuid(),
            AuditId = audit.Id,
            SupplierId = audit.SupplierId,
            Start = slot.Start!.Value.ToUniversalTime(),
            End = slot.End!.Value.ToUniversalTime(),
            ProposedBySupplier = actor.IsSupplierUser,
            ProposedBy = actor.UserId,
            ProposedAt = now,
            Note = string.IsNullOrEmpty(note) ? null : note,
        };
    }
}

/// <summary>Days the supplier cannot host an audit (shutdowns, peak season, holidays), inclusive.</summary>
public sealed class SupplierBlackout : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public required string Reason { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One of the ten steps of the audit plan, with what the auditors recorded for it.</summary>
public sealed class AuditStep : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>1 to 10, in the order of <see cref="AuditSteps.All"/>.</summary>
    public int Number { get; set; }
    public string? Records { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public Guid? CompletedBy { get; set; }

    /// <summary>Grows with every save: the offline workbook carries it to tell an edit made since the export.</summary>
    public long Version { get; set; }
}

/// <summary>How an audit finding is graded (ISO 19011 usage).</summary>
public enum AuditGrade
{
    Conformity,
    MinorNonconformity,
    MajorNonconformity,
    OpportunityForImprovement,
}

/// <summary>
/// What the auditors found against one clause or control domain, with the objective evidence. Hidden from the
/// supplier (by the tenant query filter) until <see cref="ReleasedAt"/>, set when the closing meeting is recorded.
/// </summary>
public sealed class AuditFinding : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>An ISO 28000 clause ("8.1") or one of the control domains (see <see cref="AuditCriteria.Domains"/>).</summary>
    public required string Reference { get; set; }
    public AuditGrade Grade { get; set; }
    public required string Evidence { get; set; }
    public string? Site { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid RecordedBy { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>The assessment finding raised for a nonconformity at release; its remediation case follows it.</summary>
    public Guid? AssessmentFindingId { get; set; }

    /// <summary>Grows with every save: the offline workbook carries it to tell an edit made since the export.</summary>
    public long Version { get; set; }

    public const int MaxEvidenceLength = 4000;

    public bool IsNonconformity => Grade is AuditGrade.MinorNonconformity or AuditGrade.MajorNonconformity;
}
