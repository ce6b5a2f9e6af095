using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SupplierAssure.Portal.Extensions;

public static partial class SecurityHeadersExtensions
{
    /// <summary>Where the interactive API reference (Scalar) is served; see <see cref="ApiReferencePolicy"/>.</summary>
    public const string ApiReferencePath = "/api/docs";

    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>
    /// A strict content security policy (scripts and styles from our own origin only, no inline script) and the
    /// usual hardening headers on every response.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            string? policy = null;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy ?? StrictPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });

            if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments(ApiReferencePath, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            // The API reference page starts Scalar with one inline script. Rather than allow inline script, the page
            // is buffered (it is under a kilobyte) and the policy pins that script by its SHA-256.
            var original = context.Response.Body;
            await using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                policy = ApiReferencePolicy(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
        });

    /// <summary>
    /// The policy for the API reference page: the page's own inline scripts by hash, scripts otherwise from our origin.
    /// </summary>
    // Note: Scalar sets its styles at run time (constructed and inline style sheets), so this one page allows inline
    // styles. It shows only the public OpenAPI document and holds no user data; scripts stay pinned.
    internal static string ApiReferencePolicy(string html)
    {
        var hashes = InlineScript().Matches(html)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'")
            .Distinct(StringComparer.Ordinal);
        return StrictPolicy
            .Replace("script-src 'self';", $"script-src 'self' {string.Join(' ', hashes)};", StringComparison.Ordinal)
            .Replace("style-src 'self';", "style-src 'self' 'unsafe-inline';", StringComparison.Ordinal);
    }

    // An inline script element: no src attribute, its text up to the closing tag.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
