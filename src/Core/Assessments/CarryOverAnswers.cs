using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Assessments;

/// <summary>
/// Reassessment prefill: when a supplier's next questionnaire is issued, the answers of its last submitted cycle
/// are copied onto it, each marked as awaiting confirmation, so the supplier confirms or changes them instead of
/// typing them again. Only answers that fit the new questionnaire are copied: same question code, the question
/// applies to the new tier, and the old value is still a valid answer to the (possibly revised) question.
/// </summary>
public static class CarryOverAnswers
{
    /// <summary>
    /// Adds the carried-over answers to <paramref name="assessment"/> (not yet saved; the caller saves them with the
    /// assessment, in one transaction). Returns how many were carried, and from which assessment.
    /// </summary>
    public static async Task<(int Count, Guid? FromAssessmentId)> AddAsync(SupplierAssureDbContext db, Assessment assessment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(assessment);
        var previousId = await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == assessment.SupplierId && a.Id != assessment.Id && a.SubmittedAt != null)
            .OrderByDescending(a => a.SubmittedAt)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (previousId is null)
        {
            return (0, null);
        }

        var previous = await db.Answers.AsNoTracking()
            .Where(a => a.AssessmentId == previousId && a.Value != null)
            .Select(a => new { a.QuestionCode, a.Value, a.NotApplicableReason })
            .ToListAsync(cancellationToken);
        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .ToDictionaryAsync(q => q.Code, StringComparer.Ordinal, cancellationToken);
        var count = 0;
        foreach (var old in previous)
        {
            if (!questions.TryGetValue(old.QuestionCode, out var question) || !question.AppliesTo(assessment.TierAtIssue)
                || assessment.Answers.Any(a => a.QuestionCode == old.QuestionCode))
            {
                continue;
            }

            var value = AnswerRules.Normalise(question, old.Value);
            var reason = value == AnswerRules.NotApplicable ? old.NotApplicableReason : null;
            if (value is null || AnswerRules.Validate(question, value, reason) is not null)
            {
                continue; // the question changed so that the old answer no longer fits; it is asked afresh
            }

            assessment.Answers.Add(new Answer
            {
                Id = Guid.NewGuid(),
                AssessmentId = assessment.Id,
                SupplierId = assessment.SupplierId,
                QuestionCode = question.Code,
                Value = value,
                NotApplicableReason = reason,
                UpdatedAt = now,
                UpdatedBy = null,
                CarriedFromAssessmentId = previousId,
                AwaitingConfirmation = true,
            });
            count++;
        }

        return (count, previousId);
    }
}
