using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Evidence;

/// <summary>One library document that supported questions in an earlier cycle and could support the same ones now.</summary>
public sealed record ReuseCandidate(
    EvidenceDocument Document,
    EvidenceVersion Current,
    ExpiryState Expiry,
    bool ExpiresBeforeDue,
    IReadOnlyList<string> QuestionCodes,
    IReadOnlyList<string> NotYetLinked)
{
    /// <summary>Still valid (not expired today) and something left to link: one click links it again.</summary>
    public bool CanLinkAgain => Expiry != ExpiryState.Expired && NotYetLinked.Count > 0;
}

/// <summary>What the library offers an open assessment: the documents of earlier cycles, per document.</summary>
public sealed record ReuseOffer(Assessment Assessment, string TemplateTitle, IReadOnlyList<ReuseCandidate> Candidates);

/// <summary>
/// Finds, for a reassessment, the library documents that were evidence in the organisation's earlier assessments
/// for questions this questionnaire asks again (matched by question code, so a new template version still matches).
/// Reads through the caller's tenant-scoped context in five queries, whatever the number of documents.
/// </summary>
public sealed class EvidenceReuseReader(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<ReuseOffer?> ReadAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Template)
            .SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var asked = (await db.TemplateQuestions.AsNoTracking()
                .Where(q => q.TemplateId == assessment.TemplateId)
                .OrderBy(q => q.Order)
                .ToListAsync(cancellationToken))
            .Where(q => q.AppliesTo(assessment.TierAtIssue))
            .Select(q => q.Code)
            .ToList();
        var order = asked.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => x.i, StringComparer.Ordinal);

        var uses = await db.EvidenceFiles.AsNoTracking()
            .Where(f => f.SupplierId == assessment.SupplierId && f.DocumentId != null
                && (f.AssessmentId == assessment.Id
                    || db.Assessments.Any(a => a.Id == f.AssessmentId && a.SupplierId == assessment.SupplierId && a.IssuedAt < assessment.IssuedAt)))
            .Select(f => new { DocumentId = f.DocumentId!.Value, f.AssessmentId, f.QuestionCode })
            .ToListAsync(cancellationToken);
        var here = uses.Where(u => u.AssessmentId == assessment.Id).Select(u => (u.DocumentId, u.QuestionCode)).ToHashSet();
        var earlier = uses.Where(u => u.AssessmentId != assessment.Id && order.ContainsKey(u.QuestionCode))
            .GroupBy(u => u.DocumentId)
            .ToDictionary(g => g.Key, g => g.Select(u => u.QuestionCode).Distinct(StringComparer.Ordinal).OrderBy(c => order[c]).ToList());
        if (earlier.Count == 0)
        {
            return new ReuseOffer(assessment, assessment.Template?.Title ?? string.Empty, []);
        }

        var ids = earlier.Keys.ToList();
        var documents = await db.EvidenceDocuments.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        var currentIds = documents.Select(d => d.CurrentVersionId).ToList();
        var versions = await db.EvidenceVersions.AsNoTracking().Where(v => currentIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var today = EvidenceLibrary.Today(clock);
        var candidates = documents
            .Select(d =>
            {
                var codes = earlier[d.Id];
                return new ReuseCandidate(
                    d,
                    versions[d.CurrentVersionId],
                    EvidenceExpiry.StateOn(d.ExpiresOn, today),
                    d.ExpiresOn is { } last && last < assessment.DueDate,
                    codes,
                    codes.Where(c => !here.Contains((d.Id, c))).ToList());
            })
            .OrderBy(c => c.Expiry == ExpiryState.Expired)
            .ThenBy(c => c.Document.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        return new ReuseOffer(assessment, assessment.Template?.Title ?? string.Empty, candidates);
    }
}
