using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Policies;

namespace SupplierAssure.Core.Deadlines;

/// <summary>Whether the questionnaire still waits for its supplier, and when the next notice is due.</summary>
public sealed record QuestionnaireCheck(bool Open, DateTimeOffset? NextMoment, string? Notified);

/// <summary>
/// Reminds a supplier before its questionnaire's due date and escalates to procurement when it is overdue, with the
/// workflow policy version the watching instance started with. The due date is the end of the assessment's
/// <see cref="Assessment.DueDate"/> day (UTC). Keys are unique per assessment, due date and occurrence.
/// </summary>
public sealed class QuestionnaireDeadlines(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<QuestionnaireCheck> CheckAsync(Guid assessmentId, int policyVersion, string? workflowInstanceId, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.AsNoTracking()
            .Where(a => a.Id == assessmentId)
            .Select(a => new { a.Id, a.SupplierId, a.State, a.DueDate, Supplier = a.Supplier!.LegalName })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Assessment {assessmentId} does not exist.");
        if (assessment.State is not (AssessmentState.Issued or AssessmentState.InProgress))
        {
            return new QuestionnaireCheck(false, null, null);
        }

        var policy = await new WorkflowPolicyStore(db, clock).GetAsync(policyVersion, cancellationToken);
        var dueAt = DueMoment(assessment.DueDate);
        var now = clock.GetUtcNow();
        var plan = DeadlineNotices.Plan($"assessment:{assessment.Id:N}:{DeadlineNotices.Describe(dueAt)}", dueAt, policy, now);
        if (plan.Due is not { } notice || await NotificationOutbox.ExistsAsync(db, notice.Key, cancellationToken))
        {
            return new QuestionnaireCheck(true, plan.NextMoment, null);
        }

        var day = assessment.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var draft = notice.Kind == NotificationKind.Escalation
            ? new NotificationDraft(notice.Key, NotificationKind.Escalation,
                $"Overdue questionnaire: {assessment.Supplier}",
                $"{assessment.Supplier} has not submitted its security questionnaire, which was due on {day}.",
                $"/Assessments/{assessment.Id:D}", assessment.SupplierId, null, Roles.ProcurementManager, dueAt, workflowInstanceId)
            : new NotificationDraft(notice.Key, NotificationKind.Reminder,
                $"Reminder: your security questionnaire is due on {day}",
                $"Your security questionnaire is due on {day}. Answers you have saved are kept; submit it when it is complete.",
                $"/Assessments/{assessment.Id:D}", assessment.SupplierId, assessment.SupplierId, null, dueAt, workflowInstanceId);
        NotificationOutbox.Add(db, draft, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await NotificationOutbox.ExistsAsync(db, notice.Key, cancellationToken))
            {
                throw;
            }

            return new QuestionnaireCheck(true, plan.NextMoment, null);
        }

        return new QuestionnaireCheck(true, plan.NextMoment, notice.Key);
    }

    /// <summary>A due date means "by the end of that day" (UTC).</summary>
    public static DateTimeOffset DueMoment(DateOnly dueDate) => new(dueDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
