using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Portal.Features.Evidence;

/// <summary>One question a library document is evidence for, and which of its versions that question shows.</summary>
public sealed record EvidenceUse(
    Guid AttachmentId,
    Guid DocumentId,
    Guid AssessmentId,
    string TemplateTitle,
    DateTimeOffset IssuedAt,
    AssessmentState State,
    string QuestionCode,
    int VersionNumber,
    bool Linked)
{
    public bool AssessmentOpen => State is AssessmentState.Issued or AssessmentState.InProgress or AssessmentState.Clarification;
}

/// <summary>A row of the library: the document, its current version, how many versions it has, where it is used.</summary>
public sealed record LibraryEntry(
    EvidenceDocument Document,
    EvidenceVersion Current,
    int VersionCount,
    ExpiryState Expiry,
    string UploadedByName,
    IReadOnlyList<EvidenceUse> Uses);

/// <summary>Reads the library through the caller's tenant-scoped context in a fixed number of queries.</summary>
public sealed class LibraryReader(SupplierAssureDbContext db)
{
    public async Task<IReadOnlyList<LibraryEntry>> ReadAsync(Guid? documentId, DateOnly today, CancellationToken cancellationToken)
    {
        var documents = db.EvidenceDocuments.AsNoTracking().Where(d => documentId == null || d.Id == documentId);
        var rows = await (from d in documents
                          join v in db.EvidenceVersions on d.CurrentVersionId equals v.Id
                          select new { Document = d, Current = v })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Document.Id).ToList();
        var counts = await db.EvidenceVersions.AsNoTracking()
            .Where(v => ids.Contains(v.DocumentId))
            .GroupBy(v => v.DocumentId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var uses = (await UsesAsync(ids, cancellationToken)).ToLookup(u => u.DocumentId);
        var names = await NamesAsync(rows.Select(r => r.Current.UploadedBy), cancellationToken);
        return rows
            .Select(r => new LibraryEntry(
                r.Document,
                r.Current,
                counts.GetValueOrDefault(r.Document.Id),
                EvidenceExpiry.StateOn(r.Document.ExpiresOn, today),
                NameOf(names, r.Current.UploadedBy),
                uses[r.Document.Id].ToList()))
            .OrderBy(e => e.Document.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    public async Task<IReadOnlyList<EvidenceUse>> UsesAsync(IReadOnlyCollection<Guid> documentIds, CancellationToken cancellationToken)
    {
        var ids = documentIds.ToList();
        var uses = await (from f in db.EvidenceFiles.AsNoTracking()
                          where f.DocumentId != null && ids.Contains(f.DocumentId.Value)
                          join a in db.Assessments on f.AssessmentId equals a.Id
                          join t in db.QuestionnaireTemplates on a.TemplateId equals t.Id
                          join v in db.EvidenceVersions on f.VersionId equals v.Id
                          select new EvidenceUse(f.Id, f.DocumentId!.Value, a.Id, t.Title, a.IssuedAt, a.State, f.QuestionCode, v.Number, f.LinkedAt != null))
            .ToListAsync(cancellationToken);
        return uses.OrderByDescending(u => u.IssuedAt).ThenBy(u => u.QuestionCode, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IEnumerable<Guid?> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.OfType<Guid>().Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    public static string NameOf(IReadOnlyDictionary<Guid, string> names, Guid? userId) =>
        userId is { } id && names.TryGetValue(id, out var name) && !string.IsNullOrWhiteSpace(name) ? name : "a former user";
}
