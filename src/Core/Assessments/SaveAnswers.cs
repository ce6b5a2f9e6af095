using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Assessments;

public sealed record AnswerInput(string QuestionCode, string? Value, string? NotApplicableReason);

public sealed record SaveAnswersRequest(Guid AssessmentId, Guid UserId, IReadOnlyList<AnswerInput> Answers);

/// <summary>Saves draft answers. Each answer is validated for its question's type; nothing is saved if any is invalid.</summary>
public sealed class SaveAnswersHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    public async Task<Outcome> HandleAsync(SaveAnswersRequest request, CancellationToken cancellationToken)
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
            return Outcome.Conflict("This questionnaire has been submitted and can no longer be changed.");
        }

        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .ToDictionaryAsync(q => q.Code, StringComparer.Ordinal, cancellationToken);

        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        foreach (var input in request.Answers)
        {
            if (!questions.TryGetValue(input.QuestionCode ?? string.Empty, out var question) || !question.AppliesTo(assessment.TierAtIssue))
            {
                // Keyed to the form as a whole: there is no such question on the page to attach the message to.
                var unknown = errors.GetValueOrDefault(string.Empty) ?? [];
                errors[string.Empty] = [.. unknown, $"Question '{input.QuestionCode}' is not part of the questionnaire."];
                continue;
            }

            var value = AnswerRules.Normalise(question, input.Value);
            var reason = string.IsNullOrWhiteSpace(input.NotApplicableReason) ? null : input.NotApplicableReason.Trim();
            if (AnswerRules.Validate(question, value, reason) is { } error)
            {
                errors[question.Code] = [error];
                continue;
            }

            var answer = assessment.Answers.SingleOrDefault(a => a.QuestionCode == question.Code);
            if (answer is null)
            {
                if (value is null)
                {
                    continue;
                }

                answer = new Answer { QuestionCode = question.Code, SupplierId = assessment.SupplierId, AssessmentId = assessment.Id };
                assessment.Answers.Add(answer);
            }
            else if (answer.Value == value && answer.NotApplicableReason == (value == AnswerRules.NotApplicable ? reason : null))
            {
                continue;
            }

            answer.Value = value;
            answer.NotApplicableReason = value == AnswerRules.NotApplicable ? reason : null;
            answer.UpdatedAt = now;
            answer.UpdatedBy = request.UserId;
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid(errors);
        }

        if (assessment.State == AssessmentState.Issued)
        {
            assessment.State = AssessmentState.InProgress;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Conflict("Someone else changed these answers at the same time. Reload the page to see their changes.");
        }

        return Outcome.Ok();
    }
}
