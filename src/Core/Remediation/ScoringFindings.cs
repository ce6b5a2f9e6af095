using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Scoring;

namespace SupplierAssure.Core.Remediation;

/// <summary>
/// The scoring's graded findings as <see cref="AssessmentFinding"/> rows, with ids derived from assessment, question
/// and grade (so adding them twice hits the primary key). Added by the scoring itself, in its transaction, so no one
/// ever sees a scored assessment without its findings; <see cref="OpenRemediationsHandler"/> adds any still missing
/// (assessments scored before this was so).
/// </summary>
public static class ScoringFindings
{
    /// <summary>Adds to <paramref name="db"/> (unsaved) the rows of <paramref name="result"/> that the assessment does not have yet.</summary>
    public static async Task<int> AddMissingAsync(SupplierAssureDbContext db, Guid assessmentId, Guid supplierId, ScoreResult result, DateTimeOffset raisedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(result);
        var existing = (await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == assessmentId)
            .Select(f => f.Id)
            .ToListAsync(cancellationToken)).ToHashSet();
        var added = 0;
        foreach (var finding in result.Findings)
        {
            var id = OpenRemediationsHandler.DerivedId("scoring-finding", assessmentId, finding.QuestionCode, finding.Grade.ToString());
            if (!existing.Add(id))
            {
                continue;
            }

            db.Set<AssessmentFinding>().Add(new AssessmentFinding
            {
                Id = id,
                SupplierId = supplierId,
                AssessmentId = assessmentId,
                Source = FindingSource.Scoring,
                Grade = finding.Grade switch
                {
                    FindingGrade.MajorNonconformity => NonconformityGrade.MajorNonconformity,
                    FindingGrade.MinorNonconformity => NonconformityGrade.MinorNonconformity,
                    _ => NonconformityGrade.OpportunityForImprovement,
                },
                Reference = finding.QuestionCode.Length <= 32 ? finding.QuestionCode : finding.QuestionCode[..32],
                Summary = Clip($"{finding.QuestionCode} (clause {finding.Clause}): {finding.Reason}", AssessmentFinding.MaxSummaryLength),
                RaisedAt = raisedAt,
            });
            added++;
        }

        return added;
    }

    /// <summary>
    /// Closes (unsaved) the assessment's open scoring findings that <paramref name="result"/> no longer contains, with
    /// <paramref name="note"/>, and the open corrective actions of those findings; returns the closed findings. One
    /// closed earlier with the same note that the result finds again is opened again, and so is its corrective action
    /// closed with it (<see cref="RemediationCase.Reopen"/>): an open nonconformity is never left with only a closed
    /// case, which <see cref="OpenRemediationsHandler"/> would not replace. A finding closed any other way (its
    /// corrective action verified effective) stays closed: the verifier's check stands over answers that may simply
    /// not have been updated. Findings raised by people (review, audit) are never touched.
    /// </summary>
    public static async Task<IReadOnlyList<AssessmentFinding>> CloseResolvedAsync(
        SupplierAssureDbContext db, Guid assessmentId, ScoreResult result, DateTimeOffset now, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(result);
        var stillFound = result.Findings
            .Select(f => OpenRemediationsHandler.DerivedId("scoring-finding", assessmentId, f.QuestionCode, f.Grade.ToString()))
            .ToHashSet();
        var scoring = await db.Set<AssessmentFinding>()
            .Where(f => f.AssessmentId == assessmentId && f.Source == FindingSource.Scoring)
            .ToListAsync(cancellationToken);

        // A gap an earlier clarification resolved and this answer brings back: the same finding opens again, with the
        // corrective action that closed with it (closed with the same note, not verified).
        var back = scoring.Where(f => f.State == AssessmentFindingState.Closed && stillFound.Contains(f.Id) && f.ClosingNote == note).ToList();
        foreach (var finding in back)
        {
            finding.State = AssessmentFindingState.Open;
            finding.ClosedAt = null;
            finding.ClosingNote = null;
        }

        if (back.Count > 0)
        {
            var backIds = back.Select(f => f.Id).ToList();
            foreach (var remediation in await db.Set<RemediationCase>()
                .Where(r => backIds.Contains(r.FindingId) && r.State == RemediationState.Closed && r.VerificationNote == note)
                .ToListAsync(cancellationToken))
            {
                remediation.Reopen();
            }
        }

        var resolved = scoring.Where(f => f.State == AssessmentFindingState.Open && !stillFound.Contains(f.Id)).ToList();
        if (resolved.Count == 0)
        {
            return resolved;
        }

        var ids = resolved.Select(f => f.Id).ToList();
        var cases = await db.Set<RemediationCase>()
            .Where(r => ids.Contains(r.FindingId) && r.State != RemediationState.Closed)
            .ToListAsync(cancellationToken);
        foreach (var finding in resolved)
        {
            finding.Close(now, note);
        }

        foreach (var remediation in cases)
        {
            remediation.VerificationNote = note;
            remediation.EscalatedAt = null;
            remediation.Close(now);
        }

        return resolved;
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
