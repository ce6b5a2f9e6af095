using System.Globalization;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Portal.Features.Evidence;

public static class EvidenceLibraryFeature
{
    /// <summary>Audit kinds of the library pages (appended to the hash-chained audit log).</summary>
    public const string DetailsChanged = "evidence.details-changed";
    public const string Replaced = "evidence.replaced";
    public const string Linked = "evidence.linked";

    /// <summary>The supplier's evidence library: documents, versions, links to questions, reuse in the next cycle.</summary>
    public static IHostApplicationBuilder AddEvidenceLibraryFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<UpdateEvidenceDetailsHandler>();
        builder.Services.AddScoped<ReplaceEvidenceHandler>();
        builder.Services.AddScoped<LinkEvidenceHandler>();
        builder.Services.AddScoped<EvidenceReuseReader>();
        builder.Services.AddScoped<LibraryReader>();
        return builder;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Moment(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Size(long bytes) => bytes < 1024 * 1024
        ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
        : (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    public static string CategoryLabel(EvidenceCategory category) => category switch
    {
        EvidenceCategory.Policy => "Policy",
        EvidenceCategory.Procedure => "Procedure",
        EvidenceCategory.Certificate => "Certificate",
        EvidenceCategory.Record => "Record or log",
        EvidenceCategory.Report => "Report",
        EvidenceCategory.Training => "Training",
        EvidenceCategory.Plan => "Plan",
        EvidenceCategory.Contract => "Contract",
        _ => "Other",
    };

    /// <summary>The badge of an expiry state: nothing for documents that are fine.</summary>
    public static (string Css, string Text)? Flag(ExpiryState state) => state switch
    {
        ExpiryState.Expired => ("badge critical", "Expired"),
        ExpiryState.ExpiresSoon => ("badge clarify", $"Expires within {EvidenceExpiry.SoonDays} days"),
        _ => null,
    };
}
