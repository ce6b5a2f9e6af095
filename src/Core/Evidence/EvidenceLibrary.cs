using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Evidence;

/// <summary>Shapes shared by the library's use cases.</summary>
public static class EvidenceLibrary
{
    /// <summary>A first title for a new document: the file name without its extension (the supplier can rename it).</summary>
    public static string TitleFromFileName(string fileName)
    {
        var title = Path.GetFileNameWithoutExtension(fileName).Trim();
        if (title.Length == 0)
        {
            title = fileName.Trim();
        }

        return title.Length <= EvidenceDocument.TitleMaxLength ? title : title[..EvidenceDocument.TitleMaxLength];
    }

    /// <summary>
    /// The row that makes <paramref name="version"/> evidence for one question. It repeats the version's name, type,
    /// size, hash and storage key so every reader of question evidence (the answering page, the review file, the API,
    /// scoring) treats a linked file exactly as an uploaded one; the bytes themselves are not copied.
    /// </summary>
    public static EvidenceFile AttachmentOf(EvidenceVersion version, Guid assessmentId, string questionCode, Guid? linkedBy, DateTimeOffset? linkedAt)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new EvidenceFile
        {
            Id = Guid.NewGuid(),
            SupplierId = version.SupplierId,
            AssessmentId = assessmentId,
            QuestionCode = questionCode,
            DocumentId = version.DocumentId,
            VersionId = version.Id,
            FileName = version.FileName,
            ContentType = version.ContentType,
            Length = version.Length,
            Sha256 = version.Sha256,
            StorageKey = version.StorageKey,
            UploadedBy = version.UploadedBy,
            UploadedAt = version.UploadedAt,
            LinkedBy = linkedBy,
            LinkedAt = linkedAt,
        };
    }

    /// <summary>
    /// Version <paramref name="number"/> of <paramref name="document"/> holding the bytes of a finished upload. Every
    /// version (the first one of an upload, each replacement) is made here so they carry the same facts in the same way.
    /// </summary>
    public static EvidenceVersion NewVersion(EvidenceDocument document, int number, UploadEvidenceHandler.StoredUpload upload, Guid uploadedBy, DateTimeOffset uploadedAt)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return new EvidenceVersion
        {
            Id = Guid.NewGuid(),
            SupplierId = document.SupplierId,
            DocumentId = document.Id,
            Number = number,
            FileName = upload.FileName,
            ContentType = upload.ContentType,
            Length = upload.Stored.Length,
            Sha256 = upload.Stored.Sha256,
            StorageKey = upload.Stored.StorageKey,
            UploadedBy = uploadedBy,
            UploadedAt = uploadedAt,
        };
    }

    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    }
}

public sealed record UpdateEvidenceDetailsRequest(Guid DocumentId, string? Title, EvidenceCategory Category, DateOnly? ExpiresOn, long ExpectedVersion);

/// <summary>Renames, recategorises or sets the expiry of a library document (errors keyed Title / Category / ExpiresOn).</summary>
public sealed class UpdateEvidenceDetailsHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome<EvidenceDocument>> HandleAsync(UpdateEvidenceDetailsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await db.EvidenceDocuments.SingleOrDefaultAsync(d => d.Id == request.DocumentId, cancellationToken);
        if (document is null)
        {
            return Outcome<EvidenceDocument>.From(Outcome.NotFound());
        }

        var errors = new Dictionary<string, string[]>();
        var title = request.Title?.Trim() ?? string.Empty;
        if (title.Length == 0)
        {
            errors["Title"] = ["Give the document a title."];
        }
        else if (title.Length > EvidenceDocument.TitleMaxLength)
        {
            errors["Title"] = [$"Keep the title to {EvidenceDocument.TitleMaxLength} characters."];
        }

        if (!Enum.IsDefined(request.Category))
        {
            errors["Category"] = ["Choose one of the listed categories."];
        }

        if (request.ExpiresOn is { } expires && (expires.Year < 2000 || expires.Year > 2200))
        {
            errors["ExpiresOn"] = ["Enter a real date for the last valid day."];
        }

        if (errors.Count > 0)
        {
            return Outcome<EvidenceDocument>.From(Outcome.Invalid(errors));
        }

        if (document.Version != request.ExpectedVersion)
        {
            return Outcome<EvidenceDocument>.From(Outcome.Conflict("Someone changed this document while you were editing it; the page now shows their version."));
        }

        document.Title = title;
        document.Category = request.Category;
        document.ExpiresOn = request.ExpiresOn;
        document.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<EvidenceDocument>.From(Outcome.Conflict("Someone changed this document while you were editing it; the page now shows their version."));
        }

        return Outcome<EvidenceDocument>.Ok(document);
    }
}

public sealed record ReplaceEvidenceRequest(Guid DocumentId, string? FileName, Stream Content, Guid UserId, DateOnly? NewExpiresOn);

/// <summary>What a replacement did: the new version, and how many questions of open assessments now show it.</summary>
public sealed record ReplacedEvidence(EvidenceDocument Document, EvidenceVersion Version, int MovedAttachments);

/// <summary>
/// Uploads a new version of a library document (same checks as any upload). Questions of assessments still open for
/// answers move to the new version; submitted ones keep the version they were submitted with, so what a reviewer
/// read never changes under them. The old versions stay stored and downloadable.
/// </summary>
public sealed class ReplaceEvidenceHandler(SupplierAssureDbContext db, IEvidenceStore store, IOptions<EvidenceOptions> options, TimeProvider clock)
{
    private const string Reload = "Someone replaced this document at the same moment; reload the page to see their version, then try again.";

    public async Task<Outcome<ReplacedEvidence>> HandleAsync(ReplaceEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await db.EvidenceDocuments.SingleOrDefaultAsync(d => d.Id == request.DocumentId, cancellationToken);
        if (document is null)
        {
            return Outcome<ReplacedEvidence>.From(Outcome.NotFound());
        }

        var upload = await UploadEvidenceHandler.StoreAsync(store, options.Value.MaxFileBytes, request.FileName, request.Content, cancellationToken);
        if (!upload.Succeeded)
        {
            return Outcome<ReplacedEvidence>.From(upload);
        }

        var stored = upload.Value!.Stored;
        var now = clock.GetUtcNow();
        var version = EvidenceLibrary.NewVersion(document, document.LatestNumber + 1, upload.Value, request.UserId, now);
        document.LatestNumber = version.Number;
        document.CurrentVersionId = version.Id;
        document.UpdatedAt = now;
        if (request.NewExpiresOn is { } expires)
        {
            document.ExpiresOn = expires;
        }

        db.EvidenceVersions.Add(version);
        int moved;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            // One statement decides which questions move: those whose assessment is open for answers at this moment.
            // A submission racing with this replacement either happened first (its questions keep the old version)
            // or comes after (it is submitted with the new one); never a mix within one question.
            moved = await db.EvidenceFiles
                .Where(f => f.DocumentId == document.Id && db.Assessments.Any(a => a.Id == f.AssessmentId
                    && (a.State == AssessmentState.Issued || a.State == AssessmentState.InProgress || a.State == AssessmentState.Clarification)))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(f => f.VersionId, version.Id)
                        .SetProperty(f => f.FileName, version.FileName)
                        .SetProperty(f => f.ContentType, version.ContentType)
                        .SetProperty(f => f.Length, version.Length)
                        .SetProperty(f => f.Sha256, version.Sha256)
                        .SetProperty(f => f.StorageKey, version.StorageKey)
                        .SetProperty(f => f.UploadedBy, version.UploadedBy)
                        .SetProperty(f => f.UploadedAt, version.UploadedAt),
                    cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            await store.DeleteAsync(stored.StorageKey, CancellationToken.None);

            // A replacement that committed in between took this number (unique index) or changed the document
            // (concurrency token): tell the person instead of failing; anything else is a real fault.
            db.ChangeTracker.Clear();
            var latest = await db.EvidenceDocuments.AsNoTracking().Where(d => d.Id == request.DocumentId).Select(d => d.LatestNumber).SingleAsync(cancellationToken);
            if (ex is DbUpdateConcurrencyException || latest >= version.Number)
            {
                return Outcome<ReplacedEvidence>.From(Outcome.Conflict(Reload));
            }

            throw;
        }
        catch
        {
            await store.DeleteAsync(stored.StorageKey, CancellationToken.None);
            throw;
        }

        return Outcome<ReplacedEvidence>.Ok(new ReplacedEvidence(document, version, moved));
    }
}

public sealed record LinkEvidenceRequest(Guid DocumentId, Guid AssessmentId, IReadOnlyCollection<string> QuestionCodes, Guid UserId);

/// <summary>
/// Makes a library document evidence for questions of an open assessment without uploading it again: one
/// <see cref="EvidenceFile"/> row per question, pointing at the document's current version. Questions that already
/// have the document are left as they are. Errors are keyed "questionCode" or "documentId".
/// </summary>
public sealed class LinkEvidenceHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<EvidenceFile>>> HandleAsync(LinkEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await db.EvidenceDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == request.DocumentId, cancellationToken);
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);

        // Note: operator-scoped contexts see every supplier, so the two rows are also checked to be one organisation's;
        // a document is never linked into another organisation's questionnaire.
        if (document is null || assessment is null || document.SupplierId != assessment.SupplierId)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.NotFound());
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.Conflict("This questionnaire has been submitted; evidence can no longer be added to it."));
        }

        var codes = request.QuestionCodes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.Invalid("questionCode", "Choose the question this document supports."));
        }

        var questions = (await db.TemplateQuestions.AsNoTracking()
                .Where(q => q.TemplateId == assessment.TemplateId && codes.Contains(q.Code))
                .ToListAsync(cancellationToken))
            .Where(q => q.AppliesTo(assessment.TierAtIssue))
            .Select(q => q.Code)
            .ToHashSet(StringComparer.Ordinal);
        var unknown = codes.Where(c => !questions.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.Invalid("questionCode", $"Not a question of this questionnaire: {string.Join(", ", unknown)}."));
        }

        var today = EvidenceLibrary.Today(clock);
        if (EvidenceExpiry.StateOn(document.ExpiresOn, today) == ExpiryState.Expired)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.Invalid("documentId",
                $"“{document.Title}” expired on {document.ExpiresOn:yyyy-MM-dd}. Upload a current version (Replace) or correct its expiry before using it again."));
        }

        var version = await db.EvidenceVersions.AsNoTracking().SingleAsync(v => v.Id == document.CurrentVersionId, cancellationToken);
        var already = await db.EvidenceFiles.AsNoTracking()
            .Where(f => f.AssessmentId == assessment.Id && f.DocumentId == document.Id)
            .Select(f => f.QuestionCode)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var added = codes.Except(already, StringComparer.Ordinal)
            .Select(code => EvidenceLibrary.AttachmentOf(version, assessment.Id, code, request.UserId, now))
            .ToList();
        if (added.Count == 0)
        {
            return Outcome<IReadOnlyList<EvidenceFile>>.From(Outcome.Conflict($"“{document.Title}” already supports {(codes.Count == 1 ? "this question" : "these questions")}."));
        }

        db.EvidenceFiles.AddRange(added);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<IReadOnlyList<EvidenceFile>>.Ok(added);
    }
}
