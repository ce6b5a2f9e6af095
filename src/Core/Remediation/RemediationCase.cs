using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;

namespace SupplierAssure.Core.Remediation;

/// <summary>Where a remediation stands: what is due next, or closed.</summary>
public enum RemediationState
{
    ActionPlanDue,
    ImplementationDue,
    VerificationDue,
    Closed,
}

/// <summary>
/// The corrective action for one major or minor nonconformity: the supplier plans it, implements it, and the operator
/// verifies it, each by a due date set from the grade's periods in the workflow policy version the case opened under.
/// A failed verification sends it back to implementation (a new <see cref="Round"/>). Closing it closes the finding.
/// </summary>
public sealed class RemediationCase : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid AssessmentId { get; set; }
    public Guid FindingId { get; set; }
    public NonconformityGrade Grade { get; set; }
    public int PolicyVersion { get; set; }
    public RemediationState State { get; set; } = RemediationState.ActionPlanDue;
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset ActionPlanDueAt { get; set; }
    /// <summary>The corrective action: what will be changed so the nonconformity does not recur.</summary>
    public string? ActionPlan { get; set; }

    /// <summary>The why-analysis: up to <see cref="MaxWhys"/> answers, one per line, the last one the root cause.</summary>
    public string? RootCause { get; set; }

    /// <summary>The immediate fix of the nonconformity itself (containment), apart from the corrective action.</summary>
    public string? Correction { get; set; }

    /// <summary>Who at the supplier answers for the corrective action (name and role, in the supplier's words).</summary>
    public string? Owner { get; set; }
    public DateTimeOffset? ActionPlanAt { get; set; }
    public DateTimeOffset ImplementationDueAt { get; set; }
    public string? ImplementationNote { get; set; }
    public DateTimeOffset? ImplementedAt { get; set; }
    public DateTimeOffset? VerificationDueAt { get; set; }
    public string? VerificationNote { get; set; }
    public Guid? VerifiedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>
    /// Days from opening to closing (fractional), set with <see cref="ClosedAt"/> by <see cref="Close"/>, so the
    /// dashboard's mean time to remediate is an average in SQL (SQLite cannot subtract two stored instants).
    /// </summary>
    public double? DaysToClose { get; set; }
    /// <summary>0 for the first implementation; one more each time a verification finds it not effective.</summary>
    public int Round { get; set; }
    /// <summary>The last time the current stage was escalated for being late.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }
    public string? WorkflowInstanceId { get; set; }
    public long Version { get; set; }

    public const int MaxTextLength = 4000;
    public const int MaxWhys = 5;
    public const int MaxWhyLength = 500;
    public const int MaxOwnerLength = 200;

    /// <summary>
    /// A new case for an open major or minor nonconformity, due by the grade's periods of <paramref name="policy"/>;
    /// the one place cases are opened, whatever raised the finding (scoring, review, a second-party audit).
    /// </summary>
    public static RemediationCase OpenFor(AssessmentFinding finding, Policies.WorkflowPolicy policy, Guid id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(policy);
        var periods = policy.PeriodsFor(finding.Grade);
        return new RemediationCase
        {
            Id = id,
            SupplierId = finding.SupplierId,
            AssessmentId = finding.AssessmentId,
            FindingId = finding.Id,
            Grade = finding.Grade,
            PolicyVersion = policy.Version,
            OpenedAt = now,
            ActionPlanDueAt = now.AddDays(periods.ActionPlanDays),
            ImplementationDueAt = now.AddDays(periods.ImplementationDays),
        };
    }

    /// <summary>Closes the case at <paramref name="now"/>, with the time it took.</summary>
    public void Close(DateTimeOffset now)
    {
        State = RemediationState.Closed;
        ClosedAt = now;
        DaysToClose = (now - OpenedAt).TotalDays;
    }

    /// <summary>
    /// Opens again a case that closed without a verification because its finding went away (a clarification answer
    /// removed the gap) when that finding comes back. The case returns to the stage it had reached, read from what it
    /// holds (no action plan yet: plan due; planned, not implemented: implementation due; implemented: verification
    /// due), with its due dates as they were, and without the closing time, the closing note or a workflow instance,
    /// so the remediation workflow is started (or the one still running picks it up) as for a new case.
    /// </summary>
    public void Reopen()
    {
        State = ActionPlanAt is null ? RemediationState.ActionPlanDue
            : ImplementedAt is null || VerificationDueAt is null ? RemediationState.ImplementationDue
            : RemediationState.VerificationDue;
        ClosedAt = null;
        DaysToClose = null;
        VerificationNote = null;
        EscalatedAt = null;
        WorkflowInstanceId = null;
    }

    /// <summary>The deadline of the stage the case is in; null when closed.</summary>
    public DateTimeOffset? CurrentDueAt => State switch
    {
        RemediationState.ActionPlanDue => ActionPlanDueAt,
        RemediationState.ImplementationDue => ImplementationDueAt,
        RemediationState.VerificationDue => VerificationDueAt,
        _ => null,
    };
}
