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
        var roles = await db.Suppliers.AsNoTracking().Where(s => s.Id == assessment.SupplierId).Select(s => s.Roles).SingleAsync(cancellationToken);
        // What is required (and so what is missing) is one rule, shared with the answering page's progress.
        var missing = SubmissionRequirements.Missing(SubmissionRequirements.Evaluate(questions, assessment.TierAtIssue, roles, assessment.Answers));
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
