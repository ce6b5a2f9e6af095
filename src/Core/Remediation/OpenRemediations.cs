using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Scoring;

namespace SupplierAssure.Core.Remediation;

/// <summary>
/// Turns an assessment's findings into work: copies the scoring's graded findings (the <see cref="ScoreResult"/>
/// snapshot) into <see cref="AssessmentFinding"/> rows, and opens a <see cref="RemediationCase"/> for every open major or
/// minor nonconformity that has none, with due dates from the current workflow policy. Idempotent: the copied
/// findings and the cases have ids derived from what they stand for, so a second run inserts nothing new.
/// </summary>
public sealed class OpenRemediationsHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>Returns the ids of the assessment's cases that have no workflow instance recorded yet.</summary>
    public async Task<IReadOnlyList<Guid>> HandleAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == assessmentId)
            .Select(a => new { a.Id, a.SupplierId, a.ScoreResultJson, a.ScoredAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {assessmentId} does not exist.");
        var now = clock.GetUtcNow();
        if (assessment.ScoreResultJson is not null)
        {
            // The scoring adds these in its own transaction; this catches assessments scored before it did.
            var result = JsonSerializer.Deserialize<ScoreResult>(assessment.ScoreResultJson, SnapshotJson)
                ?? throw new InvalidOperationException($"Assessment {assessmentId} has an empty score snapshot.");
            await ScoringFindings.AddMissingAsync(db, assessmentId, assessment.SupplierId, result, assessment.ScoredAt ?? now, cancellationToken);
        }

        await SaveIgnoringDuplicatesAsync(cancellationToken);

        var policy = await new WorkflowPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var needing = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.AssessmentId == assessmentId && f.State == AssessmentFindingState.Open
                && (f.Grade == NonconformityGrade.MajorNonconformity || f.Grade == NonconformityGrade.MinorNonconformity)
                && !db.Set<RemediationCase>().Any(r => r.FindingId == f.Id))
            .ToListAsync(cancellationToken);
        foreach (var finding in needing)
        {
            db.Set<RemediationCase>().Add(RemediationCase.OpenFor(finding, policy, DerivedId("remediation", finding.Id), now));
        }

        await SaveIgnoringDuplicatesAsync(cancellationToken);
        return await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => r.AssessmentId == assessmentId && r.WorkflowInstanceId == null && r.State != RemediationState.Closed)
            .OrderBy(r => r.OpenedAt).ThenBy(r => r.Id)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>A stable id for what a row stands for, so inserting it twice hits the primary key.</summary>
    public static Guid DerivedId(string kind, params object[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = kind + "|" + string.Join('|', parts.Select(p => p is Guid g ? g.ToString("D") : Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var bytes = hash.AsSpan(0, 16).ToArray();
        // Mark it as a version 8 (custom) UUID so it never collides in form with random version 4 ids.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private async Task SaveIgnoringDuplicatesAsync(CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run inserted the same derived ids first (a retried step racing its earlier self). Re-check that
            // every row we meant to add is there; anything else is a real failure.
            var ids = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Property("Id").CurrentValue).OfType<Guid>().ToList();
            db.ChangeTracker.Clear();
            var findings = await db.Set<AssessmentFinding>().CountAsync(f => ids.Contains(f.Id), cancellationToken);
            var cases = await db.Set<RemediationCase>().CountAsync(r => ids.Contains(r.Id), cancellationToken);
            if (findings + cases != ids.Count)
            {
                throw;
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
