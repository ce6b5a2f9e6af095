using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Portal.Features.Audits;

/// <summary>
/// An issued audit report revision as a PDF: the same frozen snapshot the printable page shows, laid out on A4 with
/// the revision, the issue date and the revision's SHA-256 in every page's footer, so a printed or forwarded copy
/// can be checked against the Portal.
/// </summary>
public static class ReportPdf
{
    private const double Margin = 50;
    private const double FooterHeight = 30;
    private const string Family = SystemFontResolver.Family;

    /// <summary>False when this machine has none of the TrueType fonts the PDF is set in; <see cref="Unavailable"/> says which.</summary>
    public static bool Available => SystemFontResolver.Install();

    public static string Unavailable =>
        "The PDF copy needs a TrueType font on the server (DejaVu Sans, Liberation Sans or Arial); on Debian install "
        + "fonts-dejavu-core. The printable page above is the same report.";

    public static byte[] Render(AuditReport revision, ReportSnapshot snapshot, string? issuedByName)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!Available)
        {
            throw new InvalidOperationException(Unavailable);
        }

        var inv = CultureInfo.InvariantCulture;
        var title = $"{VisitInviteBuilder.Describe(snapshot.Type)} of {snapshot.SupplierName}: report, revision {revision.Revision}";
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Author = "SupplierAssure";
        document.Info.Subject = $"SHA-256 {revision.Sha256}";
        document.Info.CreationDate = revision.IssuedAt.UtcDateTime;

        using (var writer = new Writer(document))
        {
            writer.Text(title, writer.TitleFont, after: 6);
            writer.Text($"Issued {revision.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv)} UTC by {issuedByName ?? "a former user"}. Issued revisions never change.", writer.Body, after: 4);
            if (revision.RevisionReason is { } reason)
            {
                writer.Text($"Replaces revision {revision.Revision - 1}: {reason}", writer.Body, after: 4);
            }

            writer.Heading("Conclusion");
            writer.Text(snapshot.Conclusion, writer.Body);

            writer.Heading("What was audited");
            writer.Field("Objectives", snapshot.Objectives);
            writer.Field("Sites", snapshot.ScopeSites);
            writer.Field("Processes", snapshot.ScopeProcesses);
            writer.Field("Transport modes", snapshot.ScopeModes);
            writer.Field("ISO 28000 clauses", snapshot.CriteriaClauses);
            writer.Field("Own requirements", snapshot.OwnRequirements);
            writer.Field("Visit", snapshot.VisitStart is { } start && snapshot.VisitEnd is { } end
                ? SchedulingHandler.Describe(start, end)
                : "none (document review)");
            writer.Field("Audit team", string.Join(", ", snapshot.Team));

            writer.Heading("Findings");
            if (snapshot.Findings.Count == 0)
            {
                writer.Text("No findings.", writer.Body);
            }

            var number = 0;
            foreach (var finding in snapshot.Findings)
            {
                number++;
                writer.Text($"{number}. {finding.Reference}: {AuditDisplay.Grade(finding.Grade)}{(finding.Site is { } site ? $" (site: {site})" : string.Empty)}", writer.Bold, after: 1);
                writer.Text(finding.Evidence, writer.Body, indent: 14);
            }

            writer.Heading("Audit steps");
            foreach (var step in snapshot.Steps)
            {
                var state = step.CompletedAt is { } done ? "done " + done.UtcDateTime.ToString("yyyy-MM-dd", inv) : "open";
                writer.Text($"{step.Number}. {step.Title} ({state})", writer.Bold, after: 1);
                writer.Text(step.Records ?? "No records.", writer.Body, indent: 14);
            }
        }

        var pages = document.PageCount;
        var footerFont = new XFont(Family, 7.5, XFontStyleEx.Regular, Options);
        for (var i = 0; i < pages; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin + 10;
            gfx.DrawLine(XPens.Gray, Margin, y - 4, page.Width.Point - Margin, y - 4);
            gfx.DrawString($"Revision {revision.Revision} · page {i + 1} of {pages} · SHA-256 {revision.Sha256}", footerFont, XBrushes.DimGray,
                new XPoint(Margin, y + 6));
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    // Unicode glyph ids, so names outside Latin-1 (and the dashes people type) print as written.
    private static readonly XPdfFontOptions Options = new(PdfFontEncoding.Unicode);

    /// <summary>Top-to-bottom text on A4 pages with word wrap and page breaks.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly PdfDocument _document;
        private PdfPage _page = null!;
        private XGraphics _gfx = null!;
        private double _y;

        public Writer(PdfDocument document)
        {
            _document = document;
            TitleFont = new XFont(Family, 15, XFontStyleEx.Bold, Options);
            HeadingFont = new XFont(Family, 12, XFontStyleEx.Bold, Options);
            Body = new XFont(Family, 10, XFontStyleEx.Regular, Options);
            Bold = new XFont(Family, 10, XFontStyleEx.Bold, Options);
            NewPage();
        }

        public XFont TitleFont { get; }

        public XFont HeadingFont { get; }

        public XFont Body { get; }

        public XFont Bold { get; }

        private double Width => _page.Width.Point - (2 * Margin);

        private double Bottom => _page.Height.Point - Margin - FooterHeight;

        public void Heading(string text)
        {
            _y += 8;
            // Keep a heading with at least two lines of what follows it.
            EnsureRoom(HeadingFont.GetHeight() + (2 * Body.GetHeight()));
            Text(text, HeadingFont, after: 4);
        }

        public void Field(string label, string? value)
        {
            Text($"{label}: {(string.IsNullOrWhiteSpace(value) ? "–" : value)}", Body, after: 2);
        }

        public void Text(string text, XFont font, double indent = 0, double after = 6)
        {
            var lineHeight = font.GetHeight();
            foreach (var paragraph in Clean(text).Split('\n'))
            {
                foreach (var line in Wrap(paragraph, font, Width - indent))
                {
                    EnsureRoom(lineHeight);
                    _gfx.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
                    _y += lineHeight;
                }
            }

            _y += after;
        }

        public void Dispose() => _gfx.Dispose();

        private void EnsureRoom(double height)
        {
            if (_y + height > Bottom)
            {
                _gfx.Dispose();
                NewPage();
            }
        }

        private void NewPage()
        {
            _page = _document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private IEnumerable<string> Wrap(string paragraph, XFont font, double width)
        {
            if (paragraph.Length == 0)
            {
                yield return string.Empty;
                yield break;
            }

            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (_gfx.MeasureString(candidate, font).Width <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }

                if (line.Length > 0)
                {
                    yield return line.ToString();
                    line.Clear();
                }

                // A single word wider than the line (a long reference or URL) is cut where it no longer fits.
                var rest = word;
                while (_gfx.MeasureString(rest, font).Width > width)
                {
                    var cut = rest.Length - 1;
                    while (cut > 1 && _gfx.MeasureString(rest[..cut], font).Width > width)
                    {
                        cut--;
                    }

                    yield return rest[..cut];
                    rest = rest[cut..];
                }

                line.Append(rest);
            }

            if (line.Length > 0)
            {
                yield return line.ToString();
            }
        }

        // Text typed into the Portal may hold tabs, carriage returns or other control characters; none belongs in a
        // drawn line.
        private static string Clean(string text) =>
            new(text.Replace("\r\n", "\n", StringComparison.Ordinal).Select(c => c == '\n' ? c : char.IsControl(c) ? ' ' : c).ToArray());
    }
}

/// <summary>
/// PDFsharp's Core build brings no fonts: this resolver hands it one sans-serif family (regular and bold) found in
/// the usual system font folders, preferring DejaVu Sans (wide Unicode coverage), then Liberation Sans, then Arial.
/// </summary>
internal sealed class SystemFontResolver : IFontResolver
{
    public const string Family = "SupplierAssure Sans";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
    ];

    private static readonly Lock Gate = new();
    private static bool? _installed;

    private readonly byte[] _regular;
    private readonly byte[] _bold;

    private SystemFontResolver(byte[] regular, byte[] bold)
    {
        _regular = regular;
        _bold = bold;
    }

    /// <summary>Installs the resolver once per process; false when no candidate font exists here.</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            if (_installed is { } known)
            {
                return known;
            }

            var files = FindFonts();
            _installed = files is not null;
            if (files is { } found)
            {
                GlobalFontSettings.FontResolver = new SystemFontResolver(File.ReadAllBytes(found.Regular), File.ReadAllBytes(found.Bold));
            }

            return _installed.Value;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Every family asked for gets ours; italic is not used by the report and would be simulated by PDFsharp.
        new(bold ? "sa-bold" : "sa-regular", mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == "sa-bold" ? _bold : _regular;

    private static (string Regular, string Bold)? FindFonts()
    {
        string[] roots =
        [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
            Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
            "/Library/Fonts",
        ];
        var files = roots
            .Where(r => !string.IsNullOrEmpty(r) && Directory.Exists(r))
            .SelectMany(r => Directory.EnumerateFiles(r, "*.ttf", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive }))
            .GroupBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var (regular, bold) in Candidates)
        {
            if (files.TryGetValue(regular, out var r) && files.TryGetValue(bold, out var b))
            {
                return (r, b);
            }
        }

        return null;
    }
}
