using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features;

/// <summary>Words people read for the domain's enum values.</summary>
public static class Display
{
    public static string State(AssessmentState state) => state switch
    {
        AssessmentState.Issued => "Not started",
        AssessmentState.InProgress => "In progress",
        AssessmentState.Submitted => "Submitted, being scored",
        AssessmentState.UnderReview => "Under review",
        AssessmentState.Audit => "Audit required",
        AssessmentState.Remediation => "Remediation",
        AssessmentState.Approved => "Approved",
        AssessmentState.ConditionallyApproved => "Conditionally approved",
        AssessmentState.Rejected => "Rejected",
        AssessmentState.Expired => "Expired",
        AssessmentState.Clarification => "Returned for clarification",
        _ => state.ToString(),
    };

    public static string Status(AssuranceStatus status) => status switch
    {
        AssuranceStatus.NotAssessed => "Not assessed",
        AssuranceStatus.AssessmentInProgress => "Assessment in progress",
        AssuranceStatus.UnderReview => "Under review",
        AssuranceStatus.Approved => "Approved",
        AssuranceStatus.ConditionallyApproved => "Conditionally approved",
        AssuranceStatus.Rejected => "Rejected",
        AssuranceStatus.Suspended => "Suspended",
        _ => status.ToString(),
    };

    public static string Tier(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => "Tier 1 (critical)",
        SupplierTier.Tier2Significant => "Tier 2 (significant)",
        SupplierTier.Tier3Standard => "Tier 3 (standard)",
        SupplierTier.Excluded => "Excluded",
        _ => tier.ToString(),
    };
}
