using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Portal.Extensions;

public static class TieringFeatureExtensions
{
    /// <summary>The supplier tier page (materiality, proposal, override, history) and the tier policy administration.</summary>
    public static IHostApplicationBuilder AddTieringFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ClassifySupplierHandler>();
        builder.Services.AddScoped<TierPolicyStore>();
        return builder;
    }
}
