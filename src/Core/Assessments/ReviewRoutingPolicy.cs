using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Assessments;

public enum ReviewRoute
{
    AutoApprove,
    HumanReview,
    Audit,
}

/// <summary>
/// Where a scored submission goes next. Only Tier 3 can be approved without a person looking at it, and only
/// when it is strong and has no critical gap; Tier 1 always goes to a second-party audit.
/// </summary>
public static class ReviewRoutingPolicy
{
    public const decimal AutoApproveThreshold = 70m;

    public static ReviewRoute Decide(SupplierTier tier, ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return tier switch
        {
            SupplierTier.Tier1Critical => ReviewRoute.Audit,
            SupplierTier.Tier3Standard when result.CriticalGapCount == 0 && result.OverallScore >= AutoApproveThreshold => ReviewRoute.AutoApprove,
            _ => ReviewRoute.HumanReview,
        };
    }

    public static AssessmentState StateFor(ReviewRoute route) => route switch
    {
        ReviewRoute.AutoApprove => AssessmentState.Approved,
        ReviewRoute.Audit => AssessmentState.Audit,
        _ => AssessmentState.UnderReview,
    };

    public static AssuranceStatus AssuranceFor(AssessmentState state) => state switch
    {
        AssessmentState.Approved => AssuranceStatus.Approved,
        AssessmentState.ConditionallyApproved => AssuranceStatus.ConditionallyApproved,
        AssessmentState.Rejected => AssuranceStatus.Rejected,
        AssessmentState.Issued or AssessmentState.InProgress => AssuranceStatus.AssessmentInProgress,
        _ => AssuranceStatus.UnderReview,
    };
}
