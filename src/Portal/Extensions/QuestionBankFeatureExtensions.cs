using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Portal.Extensions;

public static class QuestionBankFeatureExtensions
{
    /// <summary>The question bank administration (browse, import, publish, export) and the score breakdown.</summary>
    public static IHostApplicationBuilder AddQuestionBankFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<TemplateVersionsHandler>();
        return builder;
    }
}
