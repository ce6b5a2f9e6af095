using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Deadlines;

/// <summary>The reassessment date of an approved assessment and the policy versions it was computed with.</summary>
public sealed record ReassessmentSchedule(DateTimeOffset DueAt, int TierPolicyVersion, int CadenceMonths);

/// <summary>
/// Reassessment on the tier's cadence: when an assessment is approved, its next one is due the tier policy's
/// cadence later (read once, at approval, so the date does not move when the policy changes); on that date a new
/// questionnaire is issued to the supplier, on the newest published version of the same template, with the answer
/// period of the workflow policy, and the supplier is told. The new assessment and its notification are saved
/// together under a key unique to the approved assessment, so it is issued once however often the step runs.
/// </summary>
public sealed class IssueReassessmentHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<ReassessmentSchedule> ScheduleAsync(Guid approvedAssessmentId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == approvedAssessmentId)
            .Select(a => new { Tier = a.Supplier!.Tier })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {approvedAssessmentId} does not exist.");
        var tierPolicy = await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var months = tierPolicy.CadenceMonths(assessment.Tier);
        return new ReassessmentSchedule(clock.GetUtcNow().AddMonths(months), tierPolicy.Version, months);
    }

    /// <summary>Issues the reassessment; returns the new assessment's id, or the one an earlier run issued.</summary>
    public async Task<Guid> IssueAsync(Guid approvedAssessmentId, int workflowPolicyVersion, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var key = $"reassessment:{approvedAssessmentId:N}";
        var previous = await db.Assessments.AsNoTracking()
            .Include(a => a.Supplier)
            .SingleOrDefaultAsync(a => a.Id == approvedAssessmentId, cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {approvedAssessmentId} does not exist.");
        var newId = Remediation.OpenRemediationsHandler.DerivedId("reassessment", approvedAssessmentId);
        if (await db.Assessments.AsNoTracking().AnyAsync(a => a.Id == newId, cancellationToken))
        {
            return newId;
        }

        var template = await db.QuestionnaireTemplates.AsNoTracking().Where(t => t.Id == previous.TemplateId).Select(t => t.Code).SingleAsync(cancellationToken);
        var latest = await db.QuestionnaireTemplates.AsNoTracking()
            .Where(t => t.Code == template && t.Status == TemplateStatus.Published)
            .OrderByDescending(t => t.Version)
            .Select(t => t.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var policy = await new WorkflowPolicyStore(db, clock).GetAsync(workflowPolicyVersion, cancellationToken);
        var now = clock.GetUtcNow();
        var due = DateOnly.FromDateTime(now.UtcDateTime).AddDays(policy.QuestionnaireAnswerDays);
        var supplier = previous.Supplier!;
        var reassessment = new Assessment
        {
            Id = newId,
            SupplierId = supplier.Id,
            TemplateId = latest == Guid.Empty ? previous.TemplateId : latest,
            TierAtIssue = supplier.Tier,
            DueDate = due,
            IssuedAt = now,
        };
        db.Assessments.Add(reassessment);
        // Last cycle's answers come along for the supplier to confirm or change, saved with the new assessment.
        await CarryOverAnswers.AddAsync(db, reassessment, now, cancellationToken);
        var day = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        NotificationOutbox.Add(db, new NotificationDraft(
            key, NotificationKind.Information,
            $"Time for your periodic security reassessment (due {day})",
            $"Your last security assessment was approved on the cadence of your tier; a new questionnaire is ready for you, due on {day}.",
            $"/Assessments/{newId:D}", supplier.Id, supplier.Id, null, QuestionnaireDeadlines.DueMoment(due), workflowInstanceId), now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.Assessments.AsNoTracking().AnyAsync(a => a.Id == newId, cancellationToken))
            {
                throw;
            }
        }

        return newId;
    }
}
