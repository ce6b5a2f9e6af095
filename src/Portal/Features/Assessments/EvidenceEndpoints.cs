using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;
using SupplierAssure.Portal.Extensions;

namespace SupplierAssure.Portal.Features.Assessments;

public static class EvidenceEndpoints
{
    /// <summary>Several files in one upload request may together be this large (each file keeps its own limit).</summary>
    public const long MaxUploadRequestBytes = 110L * 1024 * 1024;

    /// <summary>The field problem details name for a refused file.</summary>
    public const string FileField = "file";

    private const string AssessmentField = "assessment";
    private const string ClosedMessage = "This questionnaire has been submitted; evidence can no longer be added to it.";

    /// <summary>
    /// GET /evidence/{id}: the file as an attachment with nosniff, never inline, and only if the tenant-scoped
    /// context can see its row (another organisation's file is a 404, like a missing one).
    /// </summary>
    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/evidence/{id:guid}", async (Guid id, SupplierAssureDbContext db, IEvidenceStore store, HttpContext http, CancellationToken ct) =>
        {
            var file = await db.EvidenceFiles.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
            if (file is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, no-store";
            var stream = await store.OpenReadAsync(file.StorageKey, ct);
            return Results.File(stream, file.ContentType, file.FileName, enableRangeProcessing: false);
        }).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// POST /Assessments/{id}/questions/{code}/evidence: the answering page's drop zone sends each file here (multipart,
    /// one or several file parts) and reads back JSON: the stored files, or problem details naming the field. The
    /// parts are streamed one by one to the evidence store through <see cref="UploadEvidenceHandler"/> (the same
    /// checks as the page's form post: sniffed type, size cap, open questionnaire, a question of it); nothing is
    /// buffered whole. Each file stands alone: when one is refused, the ones stored before it stay and are listed.
    /// </summary>
    public static IEndpointRouteBuilder MapEvidenceUploads(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/Assessments/{id:guid}/questions/{code}/evidence", UploadAsync)
            .RequireAuthorization(IdentityExtensions.SupplierUserPolicy);
        return app;
    }

    private static async Task<IResult> UploadAsync(
        Guid id,
        string code,
        HttpContext http,
        SupplierAssureDbContext db,
        UploadEvidenceHandler upload,
        IAntiforgery antiforgery,
        IOptions<AntiforgeryOptions> antiforgeryOptions,
        IOptions<EvidenceOptions> evidenceOptions,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(EvidenceEndpoints));
        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = MaxUploadRequestBytes;
        }

        // Note: the token must come in the header. Were it missing there, the antiforgery service would look for it in
        // the form and so read (and buffer) the whole upload before refusing it.
        var header = antiforgeryOptions.Value.HeaderName;
        if (header is null || string.IsNullOrEmpty(http.Request.Headers[header]))
        {
            return Refused(StatusCodes.Status400BadRequest, "__RequestVerificationToken",
                "The request is missing its anti-forgery token; reload the page and try again.");
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Refused(StatusCodes.Status400BadRequest, "__RequestVerificationToken",
                "The page's anti-forgery token is not valid any more; reload the page and try again.");
        }

        // Tenant-scoped: another organisation's questionnaire is not found, exactly like a missing one.
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such questionnaire.");
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Refused(StatusCodes.Status409Conflict, AssessmentField, ClosedMessage);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media)
            || !string.Equals(media.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Length == 0)
        {
            return Refused(StatusCodes.Status415UnsupportedMediaType, FileField, "Send the files as multipart/form-data.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value!;
        var reader = new MultipartReader(boundary, http.Request.Body);
        var userId = Guid.TryParse(http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var uid) ? uid : Guid.Empty;
        var stored = new List<UploadedEvidence>();
        var refusals = new List<(int Status, string Field, string Message)>();
        try
        {
            while (await NextSectionAsync(reader, ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue; // plain fields are not used here; the reader skips their bodies
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                var outcome = await upload.HandleAsync(new UploadEvidenceRequest(id, code, fileName ?? string.Empty, section.Body, userId), ct);
                switch (outcome.Status)
                {
                    case OutcomeStatus.Ok:
                        stored.Add(UploadedEvidence.From(outcome.Value!));
                        break;
                    case OutcomeStatus.NotFound:
                        return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such questionnaire.");
                    case OutcomeStatus.Conflict:
                        return Refused(StatusCodes.Status409Conflict, AssessmentField, First(outcome), stored);
                    default:
                        foreach (var (field, messages) in outcome.Errors)
                        {
                            foreach (var message in messages)
                            {
                                refusals.Add((StatusFor(message, evidenceOptions.Value.MaxFileBytes), field,
                                    field == FileField && !string.IsNullOrEmpty(fileName) ? $"{fileName}: {message}" : message));
                            }
                        }

                        if (outcome.Errors.ContainsKey("questionCode"))
                        {
                            // Not a question of this questionnaire: every further file would be refused the same way.
                            return Refused(refusals, stored);
                        }

                        break;
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's request size limit (413) or a body cut short; the store has removed the partial file.
            var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The files together are larger than the {MaxUploadRequestBytes / (1024 * 1024)} MB one upload may carry; send fewer at a time."
                : "The upload was cut short; try again.";
            return Refused(ex.StatusCode, FileField, message, stored);
        }
        catch (MalformedUploadException)
        {
            return Refused(StatusCodes.Status400BadRequest, FileField, "The upload is not well-formed multipart/form-data.", stored);
        }
        catch (IOException ex)
        {
            // The body ended inside a file part (the browser went away or the connection broke); the store removed the
            // partial file and no row was written. Logged, since a failing disk would surface here too.
            logger.LogWarning(ex, "Evidence upload to assessment {AssessmentId} ended while a file was being read.", id);
            return Refused(StatusCodes.Status400BadRequest, FileField, "The upload was cut short; try again.", stored);
        }

        if (refusals.Count > 0)
        {
            return Refused(refusals, stored);
        }

        if (stored.Count == 0)
        {
            return Refused(StatusCodes.Status400BadRequest, FileField, "Choose at least one file to upload.");
        }

        return Results.Ok(new UploadResponse(stored));
    }

    /// <summary>The next part, with a broken multipart frame told apart from a failure while a file part is stored.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (BadHttpRequestException)
        {
            throw; // the request size limit, answered with its own status above
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new MalformedUploadException(ex);
        }
    }

    private sealed class MalformedUploadException(Exception inner) : Exception("The multipart body is not well-formed.", inner);

    /// <summary>A refused type is 415, an oversized file 413, anything else about the input 400.</summary>
    private static int StatusFor(string message, long maxFileBytes) =>
        message == UploadEvidenceHandler.TypeNotAcceptedMessage ? StatusCodes.Status415UnsupportedMediaType
        : message == EvidenceTooLargeException.MessageFor(maxFileBytes) ? StatusCodes.Status413PayloadTooLarge
        : StatusCodes.Status400BadRequest;

    private static string First(Outcome outcome) => outcome.Errors.Values.SelectMany(m => m).FirstOrDefault() ?? "The upload was refused.";

    private static IResult Refused(int status, string field, string message, IReadOnlyList<UploadedEvidence>? stored = null) =>
        Refused([(status, field, message)], stored ?? []);

    private static IResult Refused(IReadOnlyList<(int Status, string Field, string Message)> refusals, IReadOnlyList<UploadedEvidence> stored)
    {
        var errors = refusals.GroupBy(r => r.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Message).ToArray(), StringComparer.Ordinal);
        return Results.ValidationProblem(
            errors,
            statusCode: refusals[0].Status,
            title: refusals.Count == 1 ? refusals[0].Message : "Some files were not uploaded.",
            extensions: new Dictionary<string, object?> { ["files"] = stored });
    }

    public sealed record UploadResponse(IReadOnlyList<UploadedEvidence> Files);

    /// <summary>One stored file as the drop zone lists it (the same wording as the server-rendered evidence list).</summary>
    public sealed record UploadedEvidence(Guid Id, Guid? DocumentId, string QuestionCode, string FileName, string ContentType, long Length, DateTimeOffset UploadedAt, string Url, string Summary)
    {
        public static UploadedEvidence From(EvidenceFile file)
        {
            ArgumentNullException.ThrowIfNull(file);
            var inv = CultureInfo.InvariantCulture;
            var summary = $"({(file.Length / 1024.0).ToString("0.#", inv)} KB, uploaded {file.UploadedAt.ToString("d MMM yyyy HH:mm", inv)} UTC)";
            return new UploadedEvidence(file.Id, file.DocumentId, file.QuestionCode, file.FileName, file.ContentType, file.Length, file.UploadedAt, $"/evidence/{file.Id}", summary);
        }
    }
}
