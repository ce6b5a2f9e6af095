using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Extensions;

public static class ReviewsFeatureExtensions
{
    /// <summary>Reviewer decisions and audit completion (their workflow signals come from AddPortalWorkflows).</summary>
    public static IHostApplicationBuilder AddReviewsFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DecideReviewHandler>();
        builder.Services.AddScoped<CompleteAuditHandler>();
        return builder;
    }
}
