using System.Text;

namespace SupplierAssure.Core.Evidence;

/// <summary>
/// Decides what an uploaded file really is from its first bytes. The browser's content type and the file
/// extension are never trusted: a file that is none of the allowed kinds is refused.
/// </summary>
public static class EvidenceContentSniffer
{
    public const int HeaderLength = 512;

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>Returns the sniffed content type, or null when the content is not an accepted evidence format.</summary>
    public static string? Detect(ReadOnlySpan<byte> header, string? fileName)
    {
        if (header.IsEmpty)
        {
            return null;
        }

        if (header.StartsWith(Pdf))
        {
            return "application/pdf";
        }

        if (header.StartsWith(Png))
        {
            return "image/png";
        }

        if (header.StartsWith(Jpeg))
        {
            return "image/jpeg";
        }

        if (header.StartsWith(Zip))
        {
            // Office Open XML documents are zip containers; the extension only picks which one once the bytes say zip.
            var ext = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
            return ext switch
            {
                ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                _ => "application/zip",
            };
        }

        return LooksLikeText(header) ? "text/plain" : null;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> header)
    {
        // Text has no control bytes other than tab, line feed, form feed and carriage return; binaries do.
        foreach (var b in header)
        {
            if ((b < 0x20 && b is not (0x09 or 0x0A or 0x0C or 0x0D)) || b == 0x7F)
            {
                return false;
            }
        }

        // Reject markup that a browser might render as a page, even though we always serve as attachment.
        var probe = Encoding.UTF8.GetString(header).TrimStart().ToLowerInvariant();
        if (probe.StartsWith("<!doctype html", StringComparison.Ordinal) || probe.StartsWith("<html", StringComparison.Ordinal)
            || probe.StartsWith("<svg", StringComparison.Ordinal) || probe.StartsWith("<script", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            // A cut multi-byte character at the end of the header is fine; anything else invalid is binary.
            var strict = new UTF8Encoding(false, true);
            strict.GetCharCount(header[..Math.Max(0, header.Length - 3)]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
