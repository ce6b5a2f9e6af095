using SupplierAssure.Core.Reviews;

namespace SupplierAssure.Portal.Extensions;

public static class ReviewsFeatureExtensions
{
    /// <summary>Reviewer decisions, question comments, the review queue and file, and audit completion (their workflow signals come from AddPortalWorkflows).</summary>
    public static IHostApplicationBuilder AddReviewsFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DecideReviewHandler>();
        builder.Services.AddScoped<ProposeResidualRiskHandler>();
        builder.Services.AddScoped<SignOffResidualRiskHandler>();
        builder.Services.AddScoped<CompleteAuditHandler>();
        builder.Services.AddScoped<AddReviewCommentHandler>();
        builder.Services.AddScoped<Features.Reviews.ReviewFileReader>();
        builder.Services.AddScoped<Features.Reviews.ReviewQueue>();
        builder.Services.AddScoped<Features.Reviews.AnsweringComments>();
        return builder;
    }
}
