using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Evidence;
using SupplierAssure.ServiceDefaults;

namespace SupplierAssure.Portal.Extensions;

public static class FeatureExtensions
{
    /// <summary>Use cases of the assessment feature and the evidence store they write to.</summary>
    public static IHostApplicationBuilder AddAssessmentsFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.SectionName)
            .Validate(o => o.MaxFileBytes > 0, "Evidence:MaxFileBytes must be positive.");
        services.AddSingleton<IEvidenceStore>(sp =>
        {
            var paths = sp.GetRequiredService<SupplierAssurePaths>();
            var root = paths.Resolve(sp.GetRequiredService<IOptions<EvidenceOptions>>().Value.StoragePath);
            var webRoot = sp.GetRequiredService<IWebHostEnvironment>().WebRootPath;
            if (!string.IsNullOrEmpty(webRoot) && Path.GetFullPath(root).StartsWith(Path.GetFullPath(webRoot), StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Evidence:StoragePath must not be inside the web root.");
            }

            return new FileSystemEvidenceStore(root);
        });
        services.AddScoped<SaveAnswersHandler>();
        services.AddScoped<SubmitAssessmentHandler>();
        services.AddScoped<UploadEvidenceHandler>();
        // Section progress and delegation on the answering page (Features/Assessments).
        services.AddScoped<Features.Assessments.AnsweringProgress>();
        services.AddScoped<Features.Assessments.SectionDelegation>();
        return builder;
    }
}
