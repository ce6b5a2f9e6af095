using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>Words people read for the audit enums.</summary>
public static class AuditDisplay
{
    public static string State(AuditState state) => state switch
    {
        AuditState.Planned => "Planned: team forming, no times proposed",
        AuditState.Scheduling => "Scheduling: times proposed",
        AuditState.Scheduled => "Scheduled: visit confirmed",
        AuditState.InProgress => "In progress",
        AuditState.FindingsReleased => "Findings released",
        AuditState.Completed => "Completed",
        _ => state.ToString(),
    };

    public static string Grade(AuditGrade grade) => grade switch
    {
        AuditGrade.Conformity => "Conformity",
        AuditGrade.MinorNonconformity => "Minor nonconformity",
        AuditGrade.MajorNonconformity => "Major nonconformity",
        _ => "Opportunity for improvement",
    };
}
