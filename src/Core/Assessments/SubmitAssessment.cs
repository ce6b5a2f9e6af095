using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Assessments;

public sealed record SubmitAssessmentRequest(Guid AssessmentId, Guid UserId);

/// <summary>Starts the review of a submitted assessment. Implemented by the workflow engine.</summary>
public interface IAssessmentReviewStarter
{
    /// <summary>Starts (or, when one is already running for the assessment, returns) the review workflow instance id.</summary>
    Task<string> StartAsync(Guid assessmentId, CancellationToken cancellationToken);
}

/// <summary>
/// Submits an assessment: every scored question that applies to the tier must be answered. The state moves to
/// Submitted and the review workflow starts, which scores and routes it.
/// </summary>
public sealed class SubmitAssessmentHandler(SupplierAssureDbContext db, IAssessmentReviewStarter reviews, TimeProvider clock)
{
    public async Task<Outcome> HandleAsync(SubmitAssessmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assessment = await db.Assessments.Include(a => a.Answers)
            .SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return Outcome.NotFound();
        }

        if (!assessment.IsOpenForAnswers)
        {
            return Outcome.Conflict("This questionnaire has already been submitted.");
        }

        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .OrderBy(q => q.Order)
            .ToListAsync(cancellationToken);
        var answers = assessment.Answers.ToDictionary(a => a.QuestionCode, a => a.Value, StringComparer.Ordinal);
        var roles = await db.Suppliers.AsNoTracking().Where(s => s.Id == assessment.SupplierId).Select(s => s.Roles).SingleAsync(cancellationToken);
        // Required: the scored questions of this tier that are shown to this supplier (role and earlier answers);
        // a question hidden by its condition cannot be demanded, and free-form ones inform without being required.
        var missing = questions
            .Where(q => q.AppliesTo(assessment.TierAtIssue) && q.IsScored && q.IsShown(roles, answers)
                && answers.GetValueOrDefault(q.Code) is null)
            .ToDictionary(q => q.Code, q => new[] { $"Answer question {q.Code} before submitting." });
        // Answers carried over from the last cycle count only once somebody confirmed or changed them.
        foreach (var carried in assessment.Answers.Where(a => a.AwaitingConfirmation).OrderBy(a => a.QuestionCode, StringComparer.Ordinal))
        {
            var question = questions.FirstOrDefault(q => q.Code == carried.QuestionCode);
            if (question is not null && question.AppliesTo(assessment.TierAtIssue) && question.IsShown(roles, answers) && !missing.ContainsKey(carried.QuestionCode))
            {
                missing[carried.QuestionCode] = [$"Confirm or change your answer to question {carried.QuestionCode}; it was carried over from your last assessment."];
            }
        }

        if (missing.Count > 0)
        {
            return Outcome.Invalid(missing);
        }

        assessment.State = AssessmentState.Submitted;
        assessment.SubmittedAt = clock.GetUtcNow();
        assessment.SubmittedBy = request.UserId;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Conflict("The questionnaire changed while you were submitting it. Reload and try again.");
        }

        // The submission is durable before the workflow starts. The workflow's first step is idempotent, and an
        // assessment left Submitted with no review running is picked up by the workflow sweep (DeadlineSweeper).
        var instanceId = await reviews.StartAsync(assessment.Id, cancellationToken);
        // A targeted update: the engine may already have scored the assessment (and bumped its version), which must
        // not turn a successful submission into a concurrency error for the person submitting. A resubmission after a
        // return gets a new review, and the assessment points at it from then on.
        await db.Assessments
            .Where(a => a.Id == assessment.Id && a.WorkflowInstanceId != instanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WorkflowInstanceId, instanceId), cancellationToken);
        return Outcome.Ok();
    }
}
