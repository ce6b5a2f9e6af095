using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>An uploaded file before it is stored: the name the browser gave and its content.</summary>
public sealed record IncomingFile(string FileName, Stream Content);

/// <summary>
/// Stores files for audit follow-up (evidence request answers, corrective-action evidence) with the same safeguards
/// as questionnaire evidence: the display name is cleaned, the type is sniffed from the bytes (never taken from the
/// browser), the size is capped while streaming, and the bytes go under our own key. The rows are returned
/// unsaved: the caller adds them in the same save as the change they belong to and, when that change is refused or
/// fails, calls <see cref="DiscardAsync"/> so no bytes are left without a row.
/// </summary>
public sealed class AuditFileStager(IEvidenceStore store, IOptions<EvidenceOptions> options, TimeProvider clock)
{
    public const int MaxFilesPerUpload = 10;

    /// <param name="field">The form field the messages name.</param>
    public async Task<Outcome<IReadOnlyList<AuditFile>>> StageAsync(
        IReadOnlyList<IncomingFile> files, Guid supplierId, Guid userId, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count > MaxFilesPerUpload)
        {
            return Outcome<IReadOnlyList<AuditFile>>.From(Outcome.Invalid(field, $"Attach at most {MaxFilesPerUpload} files at a time."));
        }

        var staged = new List<AuditFile>();
        foreach (var file in files)
        {
            var problem = await StageOneAsync(file, supplierId, userId, staged, cancellationToken);
            if (problem is not null)
            {
                await DiscardAsync(staged);
                return Outcome<IReadOnlyList<AuditFile>>.From(Outcome.Invalid(field, problem));
            }
        }

        return Outcome<IReadOnlyList<AuditFile>>.Ok(staged);
    }

    /// <summary>Removes the bytes of files whose rows were not saved.</summary>
    public async Task DiscardAsync(IEnumerable<AuditFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            await store.DeleteAsync(file.StorageKey, CancellationToken.None);
        }
    }

    public Task<Stream> OpenReadAsync(AuditFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return store.OpenReadAsync(file.StorageKey, cancellationToken);
    }

    private async Task<string?> StageOneAsync(IncomingFile file, Guid supplierId, Guid userId, List<AuditFile> staged, CancellationToken cancellationToken)
    {
        var name = UploadEvidenceHandler.SafeDisplayName(file.FileName);
        if (name is null)
        {
            return "Each file needs a name.";
        }

        var header = new byte[EvidenceContentSniffer.HeaderLength];
        var headerLength = await file.Content.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (headerLength == 0)
        {
            return $"{name} is empty.";
        }

        var contentType = EvidenceContentSniffer.Detect(header.AsSpan(0, headerLength), name);
        if (contentType is null)
        {
            return $"{name}: only PDF, PNG, JPEG, plain text, Office (docx, xlsx, pptx) and zip files are accepted.";
        }

        StoredEvidence stored;
        try
        {
            await using var whole = new UploadEvidenceHandler.PrefixedStream(header.AsMemory(0, headerLength), file.Content);
            stored = await store.SaveAsync(whole, options.Value.MaxFileBytes, cancellationToken);
        }
        catch (EvidenceTooLargeException ex)
        {
            return $"{name}: {ex.Message}";
        }

        staged.Add(new AuditFile
        {
            Id = Guid.NewGuid(),
            SupplierId = supplierId,
            FileName = name,
            ContentType = contentType,
            Length = stored.Length,
            Sha256 = stored.Sha256,
            StorageKey = stored.StorageKey,
            UploadedBy = userId,
            UploadedAt = clock.GetUtcNow(),
        });
        return null;
    }
}
