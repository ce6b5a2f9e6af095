using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Core.Assessments;

public sealed record UploadEvidenceRequest(Guid AssessmentId, string QuestionCode, string FileName, Stream Content, Guid UserId);

/// <summary>
/// Stores one evidence file for a question: the type is sniffed from the bytes, the size is capped while
/// streaming, and the rows (library document, its first version, the question's link to it) are written only after
/// the file is complete (the file is removed if the rows fail).
/// </summary>
public sealed class UploadEvidenceHandler(SupplierAssureDbContext db, IEvidenceStore store, IOptions<EvidenceOptions> options, TimeProvider clock)
{
    public async Task<Outcome<EvidenceFile>> HandleAsync(UploadEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome<EvidenceFile>.From(Outcome.NotFound());
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Outcome<EvidenceFile>.From(Outcome.Conflict("This questionnaire has been submitted; evidence can no longer be added to it."));
        }

        var question = await db.TemplateQuestions.AsNoTracking()
            .SingleOrDefaultAsync(q => q.TemplateId == assessment.TemplateId && q.Code == request.QuestionCode, cancellationToken);
        if (question is null || !question.AppliesTo(assessment.TierAtIssue))
        {
            return Outcome<EvidenceFile>.From(Outcome.Invalid("questionCode", "This question is not part of the questionnaire."));
        }

        var upload = await StoreAsync(store, options.Value.MaxFileBytes, request.FileName, request.Content, cancellationToken);
        if (!upload.Succeeded)
        {
            return Outcome<EvidenceFile>.From(upload);
        }

        var stored = upload.Value!.Stored;
        var now = clock.GetUtcNow();

        // Every upload starts a library document with its first version; the question's row points at that version,
        // so the same bytes can later support other questions (and the next cycle) without being uploaded again.
        var document = new EvidenceDocument
        {
            Id = Guid.NewGuid(),
            SupplierId = assessment.SupplierId,
            Title = EvidenceLibrary.TitleFromFileName(upload.Value.FileName),
            Category = EvidenceCategory.Other,
            LatestNumber = 1,
            CreatedAt = now,
            CreatedBy = request.UserId,
            UpdatedAt = now,
        };
        var version = EvidenceLibrary.NewVersion(document, 1, upload.Value, request.UserId, now);
        document.CurrentVersionId = version.Id;
        var file = EvidenceLibrary.AttachmentOf(version, assessment.Id, question.Code, linkedBy: null, linkedAt: null);
        db.EvidenceDocuments.Add(document);
        db.EvidenceVersions.Add(version);
        db.EvidenceFiles.Add(file);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // No orphan bytes: a file without its row would be invisible and never cleaned up.
            await store.DeleteAsync(stored.StorageKey, CancellationToken.None);
            throw;
        }

        return Outcome<EvidenceFile>.Ok(file);
    }

    /// <summary>The refusal of content that is none of the accepted kinds (callers that answer with a status code match on it).</summary>
    public const string TypeNotAcceptedMessage = "Only PDF, PNG, JPEG, plain text, Office (docx, xlsx, pptx) and zip files are accepted.";

    /// <summary>A stored upload: the safe display name, the sniffed content type and where the bytes went.</summary>
    public sealed record StoredUpload(string FileName, string ContentType, StoredEvidence Stored);

    /// <summary>
    /// The checks every evidence upload passes (a safe display name, a non-empty body, an accepted type sniffed from
    /// the bytes, the size cap while streaming) and the write to the store. Errors are keyed "file".
    /// </summary>
    public static async Task<Outcome<StoredUpload>> StoreAsync(IEvidenceStore store, long maxBytes, string? fileName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(content);
        const string field = "file";
        var name = SafeDisplayName(fileName);
        if (name is null)
        {
            return Outcome<StoredUpload>.From(Outcome.Invalid(field, "The file needs a name."));
        }

        // Read the header for sniffing, then stream header + rest to the store.
        var header = new byte[EvidenceContentSniffer.HeaderLength];
        var headerLength = await content.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (headerLength == 0)
        {
            return Outcome<StoredUpload>.From(Outcome.Invalid(field, "The file is empty."));
        }

        var contentType = EvidenceContentSniffer.Detect(header.AsSpan(0, headerLength), name);
        if (contentType is null)
        {
            return Outcome<StoredUpload>.From(Outcome.Invalid(field, TypeNotAcceptedMessage));
        }

        try
        {
            await using var whole = new PrefixedStream(header.AsMemory(0, headerLength), content);
            var stored = await store.SaveAsync(whole, maxBytes, cancellationToken);
            return Outcome<StoredUpload>.Ok(new StoredUpload(name, contentType, stored));
        }
        catch (EvidenceTooLargeException ex)
        {
            return Outcome<StoredUpload>.From(Outcome.Invalid(field, ex.Message));
        }
    }

    /// <summary>Keeps only the last path segment and drops control characters; the name is for display, never a path.</summary>
    public static string? SafeDisplayName(string? fileName)
    {
        var last = (fileName ?? string.Empty).Replace('\\', '/').Split('/').LastOrDefault() ?? string.Empty;
        var cleaned = new string(last.Where(c => !char.IsControl(c) && c is not ('"' or '<' or '>')).ToArray()).Trim();
        if (cleaned.Length == 0 || cleaned is "." or "..")
        {
            return null;
        }

        return cleaned.Length <= 255 ? cleaned : cleaned[..200] + Path.GetExtension(cleaned)[..Math.Min(20, Path.GetExtension(cleaned).Length)];
    }

    /// <summary>A read-only stream of a buffered prefix followed by the rest of another stream.</summary>
    internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!_prefix.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }

            return rest.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }

            return await rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
