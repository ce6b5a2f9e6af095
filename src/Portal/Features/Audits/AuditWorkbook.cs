using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// Writes and reads the offline workbook of an audit (XLSX, MiniExcel): a Checklist sheet (the ten steps), a Findings
/// sheet and an About sheet naming the audit. Each data row carries hidden columns: the row id, the row version and a
/// check of the values as exported, which the import uses to match rows and to tell edits from Portal changes.
/// </summary>
// Note: MiniExcel writes hidden columns but not sheet protection, so the id columns are hidden, not locked. The import
// trusts none of them: an id must be a row of this audit, every value is validated again, and only assigned auditors
// may import; a hand-edited version or check can at worst turn a conflict into a plain change the auditor made.
public static class AuditWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const long MaxUploadBytes = 5 * 1024 * 1024;

    public static byte[] Write(OfflineExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var inv = CultureInfo.InvariantCulture;
        var sheets = new Dictionary<string, object>
        {
            [OfflineColumns.StepsSheet] = export.Steps.Select(s => new StepLine
            {
                Id = s.Id.ToString("D"),
                Version = s.Version,
                Check = s.Check,
                Number = s.Number,
                Title = s.Title,
                Prompt = s.Prompt,
                Done = s.CompletedAt is { } done ? "Done " + done.UtcDateTime.ToString("yyyy-MM-dd", inv) + " (locked)" : string.Empty,
                Records = s.Records ?? string.Empty,
            }).ToList(),
            [OfflineColumns.FindingsSheet] = export.Findings.Select(f => new FindingLine
            {
                Id = f.Id.ToString("D"),
                Version = f.Version.ToString(inv),
                Check = f.Check,
                Reference = f.Reference,
                Grade = f.Grade,
                Evidence = f.Evidence,
                Site = f.Site ?? string.Empty,
                Released = f.ReleasedAt is { } released ? "Released " + released.UtcDateTime.ToString("yyyy-MM-dd", inv) + " (locked)" : string.Empty,
            }).ToList(),
            [OfflineColumns.AboutSheet] = new List<AboutLine>
            {
                new() { Item = OfflineColumns.AuditIdItem, Value = export.AuditId.ToString("D") },
                new() { Item = "Supplier", Value = export.SupplierName },
                new() { Item = "Audit", Value = VisitInviteBuilder.Describe(export.Type) },
                new() { Item = "Exported (UTC)", Value = export.ExportedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv) },
                new() { Item = "How to use", Value = "Edit the Records of open steps and the findings; add a finding on a new row of the Findings sheet with its id left empty. Keep the hidden columns and this sheet as they are. Import the file on the audit's Offline page: you see every change and conflict before anything is saved." },
                new() { Item = "Grades", Value = string.Join(", ", Enum.GetValues<AuditGrade>().Select(OfflineRoundTripHandler.GradeName)) },
                new() { Item = "Report", Value = export.Locked ? "Issued: this audit is locked and an import is refused." : "Not issued yet." },
            },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: new OpenXmlConfiguration { FreezeRowCount = 1, EnableAutoWidth = false });
        return stream.ToArray();
    }

    /// <summary>The rows of an uploaded workbook, or the problems that make it unreadable (by sheet and column).</summary>
    public static (OfflineUpload? Upload, IReadOnlyList<OfflineCellError> Errors) Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        List<string> names;
        try
        {
            buffer.Position = 0;
            names = MiniExcel.GetSheetNames(buffer);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            return (null, [new OfflineCellError(string.Empty, 0, string.Empty, "The file is not a readable .xlsx workbook. Upload the workbook exported from this page, saved as .xlsx.")]);
        }

        var errors = new List<OfflineCellError>();
        foreach (var required in new[] { OfflineColumns.StepsSheet, OfflineColumns.FindingsSheet, OfflineColumns.AboutSheet })
        {
            if (!names.Contains(required, StringComparer.Ordinal))
            {
                errors.Add(new OfflineCellError(required, 0, string.Empty, $"The sheet \"{required}\" is missing; keep the sheets of the exported workbook and their names."));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        try
        {
            var steps = Rows(buffer, OfflineColumns.StepsSheet, [OfflineColumns.RowId, OfflineColumns.RowVersion, OfflineColumns.RowCheck, OfflineColumns.Records], errors);
            var findings = Rows(buffer, OfflineColumns.FindingsSheet,
                [OfflineColumns.RowId, OfflineColumns.RowVersion, OfflineColumns.RowCheck, OfflineColumns.Reference, OfflineColumns.Grade, OfflineColumns.Evidence, OfflineColumns.Site], errors);
            var about = Rows(buffer, OfflineColumns.AboutSheet, [OfflineColumns.AboutKey, OfflineColumns.AboutValue], errors);
            if (errors.Count > 0)
            {
                return (null, errors);
            }

            var auditId = about.FirstOrDefault(r => string.Equals(Cell(r.Cells, OfflineColumns.AboutKey), OfflineColumns.AuditIdItem, StringComparison.Ordinal)).Cells is { } line
                ? Cell(line, OfflineColumns.AboutValue)
                : null;
            return (new OfflineUpload(
                auditId,
                [.. steps.Select(r => new OfflineStepRow(r.Row, Cell(r.Cells, OfflineColumns.RowId), Cell(r.Cells, OfflineColumns.RowVersion), Cell(r.Cells, OfflineColumns.RowCheck),
                    Cell(r.Cells, OfflineColumns.Step), Cell(r.Cells, OfflineColumns.Records)))],
                [.. findings.Select(r => new OfflineFindingRow(r.Row, Cell(r.Cells, OfflineColumns.RowId), Cell(r.Cells, OfflineColumns.RowVersion), Cell(r.Cells, OfflineColumns.RowCheck),
                    Cell(r.Cells, OfflineColumns.Reference), Cell(r.Cells, OfflineColumns.Grade), Cell(r.Cells, OfflineColumns.Evidence), Cell(r.Cells, OfflineColumns.Site)))]), errors);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            return (null, [new OfflineCellError(string.Empty, 0, string.Empty, "The workbook could not be read (" + ex.GetType().Name + "). Save it again as .xlsx and upload it.")]);
        }
    }

    /// <summary>Spreadsheet rows (2 = the first under the header) with their cells as text, at most one past the limit.</summary>
    private static List<(int Row, IDictionary<string, object?> Cells)> Rows(MemoryStream buffer, string sheet, string[] required, List<OfflineCellError> errors)
    {
        buffer.Position = 0;
        var rows = new List<(int, IDictionary<string, object?>)>();
        var header = true;
        var number = 1;
        foreach (var row in MiniExcel.Query(buffer, useHeaderRow: true, sheetName: sheet).Take(OfflineRoundTripHandler.MaxRowsPerSheet + 1))
        {
            number++;
            var cells = (IDictionary<string, object?>)row;
            if (header)
            {
                header = false;
                foreach (var column in required.Where(c => !cells.ContainsKey(c)))
                {
                    errors.Add(new OfflineCellError(sheet, 1, column, $"The column \"{column}\" is missing from the header row; keep the columns of the exported workbook (hidden ones included)."));
                }
            }

            rows.Add((number, cells));
        }

        return rows;
    }

    private static string? Cell(IDictionary<string, object?> cells, string column) => cells.TryGetValue(column, out var value)
        ? value switch
        {
            null => null,
            string text => text,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        }
        : null;

    // Note: the parser reads untrusted bytes; whatever it throws on a damaged or foreign file (zip, XML, format errors)
    // is reported to the auditor as an unreadable file, never a 500. Cancellation and out-of-memory still propagate.
    private static bool IsUnreadable(Exception ex) => ex is not (OperationCanceledException or OutOfMemoryException);

    private sealed class StepLine
    {
        [ExcelColumn(Name = OfflineColumns.RowId, Hidden = true)]
        public string Id { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.RowVersion, Hidden = true)]
        public long Version { get; set; }

        [ExcelColumn(Name = OfflineColumns.RowCheck, Hidden = true)]
        public string Check { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Step, Width = 6)]
        public int Number { get; set; }

        [ExcelColumn(Name = OfflineColumns.Title, Width = 28)]
        public string Title { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Prompt, Width = 50)]
        public string Prompt { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Done, Width = 20)]
        public string Done { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Records, Width = 80)]
        public string Records { get; set; } = string.Empty;
    }

    private sealed class FindingLine
    {
        [ExcelColumn(Name = OfflineColumns.RowId, Hidden = true)]
        public string Id { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.RowVersion, Hidden = true)]
        public string Version { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.RowCheck, Hidden = true)]
        public string Check { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Reference, Width = 18)]
        public string Reference { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Grade, Width = 26)]
        public string Grade { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Evidence, Width = 80)]
        public string Evidence { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Site, Width = 24)]
        public string Site { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.Released, Width = 22)]
        public string Released { get; set; } = string.Empty;
    }

    private sealed class AboutLine
    {
        [ExcelColumn(Name = OfflineColumns.AboutKey, Width = 18)]
        public string Item { get; set; } = string.Empty;

        [ExcelColumn(Name = OfflineColumns.AboutValue, Width = 100)]
        public string Value { get; set; } = string.Empty;
    }
}
