using System.Globalization;
using MiniExcelLibs;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>The two spreadsheet formats the filtered supplier list can be exported in.</summary>
public enum SupplierExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>A finished export: the file's bytes, its media type and a download name.</summary>
public sealed record SupplierExportFile(Stream Content, string ContentType, string FileName);

/// <summary>
/// The export of the filtered supplier list, one implementation for the Suppliers page (?handler=Export) and the API
/// (GET /api/v1/suppliers/export): the same columns, the same formula neutralising, the same row cap
/// (<see cref="SupplierList.MaxExportRows"/>).
/// </summary>
public static class SupplierExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>"csv" or "xlsx" in any case; anything else is null (the page falls back to CSV, the API refuses it).</summary>
    public static SupplierExportFormat? ParseFormat(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "csv" => SupplierExportFormat.Csv,
        "xlsx" => SupplierExportFormat.Xlsx,
        _ => null,
    };

    public static async Task<SupplierExportFile> CreateAsync(
        SupplierList suppliers, SupplierListQuery query, SupplierExportFormat format, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppliers);
        ArgumentNullException.ThrowIfNull(clock);
        var rows = await suppliers.ExportAsync(query, cancellationToken);
        var table = rows.Select(r => new Dictionary<string, object?>
        {
            ["Supplier"] = SafeCell(r.LegalName),
            ["Country"] = r.CountryCode,
            ["LEI"] = r.Lei,
            ["Tier"] = Display.Tier(r.Tier),
            ["Assurance"] = Display.Status(r.AssuranceStatus),
            ["Score"] = r.OverallScore,
            ["Risk"] = r.RiskRating.ToString(),
            ["Last assessed (UTC)"] = r.LastAssessedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Overdue"] = r.HasOverdueAssessment ? "yes" : "no",
        }).ToList();

        var excelType = format == SupplierExportFormat.Xlsx ? ExcelType.XLSX : ExcelType.CSV;
        var stream = new MemoryStream();
        await stream.SaveAsAsync(table, excelType: excelType, cancellationToken: cancellationToken);
        stream.Position = 0;
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return format == SupplierExportFormat.Xlsx
            ? new SupplierExportFile(stream, XlsxContentType, $"suppliers-{stamp}.xlsx")
            : new SupplierExportFile(stream, CsvContentType, $"suppliers-{stamp}.csv");
    }

    /// <summary>
    /// Spreadsheet programs run a cell that starts with = + - @ as a formula; a supplier's own name must never do
    /// that on a procurement analyst's machine (CSV injection), so such text is prefixed with an apostrophe.
    /// </summary>
    public static string SafeCell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}
