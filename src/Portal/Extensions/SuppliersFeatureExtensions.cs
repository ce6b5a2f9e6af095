using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Extensions;

public static class SuppliersFeatureExtensions
{
    /// <summary>The procurement portfolio (list, filters, export).</summary>
    public static IHostApplicationBuilder AddSuppliersFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SupplierList>();
        return builder;
    }
}
