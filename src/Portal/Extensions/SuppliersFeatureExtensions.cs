using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Extensions;

public static class SuppliersFeatureExtensions
{
    /// <summary>The procurement portfolio (list, filters, export), the supplier page and issuing questionnaires.</summary>
    public static IHostApplicationBuilder AddSuppliersFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SupplierList>();
        builder.Services.AddScoped<SupplierProfileQuery>();
        builder.Services.AddScoped<SupplierSites>();
        builder.Services.AddScoped<SupplierAssure.Core.Questionnaires.IssueQuestionnaireHandler>();
        builder.Services.AddScoped<SupplierAssure.Portal.Features.Suppliers.QuestionnaireOperations>();
        builder.Services.AddScoped<SupplierImport>();
        builder.Services.AddScoped<SupplierAssure.Portal.Features.Suppliers.ImportOperations>();
        builder.Services.AddScoped<SupplierAssure.Core.Kpis.ProcurementKpis>();
        return builder;
    }
}
