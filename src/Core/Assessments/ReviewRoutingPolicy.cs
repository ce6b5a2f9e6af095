using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Assessments;

public enum ReviewRoute
{
    AutoApprove,
    HumanReview,
    Audit,
}

/// <summary>
/// Where a scored submission goes next, decided by the tier policy in force rather than by code: the tier's
/// validation level picks the route (self-attestation may be approved without a person when the score reaches the
/// policy's threshold and no critical question failed; remote review goes to a person; on-site audit to an audit).
/// </summary>
public static class ReviewRoutingPolicy
{
    public static ReviewRoute Decide(SupplierTier tier, ScoreResult result, TierPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(policy);

        // An excluded supplier has no tier rules; anything it submits is looked at by a person.
        if (tier == SupplierTier.Excluded || !Enum.IsDefined(tier))
        {
            return ReviewRoute.HumanReview;
        }

        var rules = policy.RulesFor(tier);
        return rules.Validation switch
        {
            ValidationLevel.OnSiteAudit => ReviewRoute.Audit,
            ValidationLevel.SelfAttestation when rules.AutoApproveMinScore is { } threshold
                && result.CriticalGapCount == 0 && result.OverallScore >= threshold => ReviewRoute.AutoApprove,
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
