using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Assessments;

/// <summary>One answer as the person left it, and what they saw of it before they changed it.</summary>
/// <param name="QuestionCode">The question.</param>
/// <param name="Value">The new value (null clears the answer).</param>
/// <param name="NotApplicableReason">Why the question does not apply, when the value is "na".</param>
public sealed record AnswerInput(string QuestionCode, string? Value, string? NotApplicableReason)
{
    /// <summary>
    /// The answer's version the client loaded (0 when it saw no answer). A save whose base version is older than the
    /// stored one, and whose value differs from the stored one, is refused for that question as a conflict. Null
    /// means the caller does not take part in conflict detection (the REST-less test helpers and older clients).
    /// </summary>
    public long? BaseVersion { get; init; }

    /// <summary>The value the client loaded; with <see cref="BaseReason"/> tells an untouched field of a whole-form post apart from a change.</summary>
    public string? BaseValue { get; init; }

    public string? BaseReason { get; init; }

    /// <summary>
    /// Confirms an answer carried over from the previous cycle as it stands. A caller without a base version states
    /// every answer it sends outright, so its values confirm carried-over answers too.
    /// </summary>
    public bool Confirm { get; init; }
}

/// <summary>A save of draft answers.</summary>
/// <param name="AssessmentId">The questionnaire.</param>
/// <param name="UserId">Who saves.</param>
/// <param name="Answers">The answers to save.</param>
public sealed record SaveAnswersRequest(Guid AssessmentId, Guid UserId, IReadOnlyList<AnswerInput> Answers)
{
    /// <summary>
    /// Autosave: each answer stands alone, so valid answers are saved even when another one is invalid or in
    /// conflict. Without it (the whole-form post) nothing is saved while any answer is invalid, and a field whose
    /// value equals its base value counts as untouched and is left as stored.
    /// </summary>
    public bool PerQuestion { get; init; }
}

/// <summary>An answer as stored after a save.</summary>
public sealed record SavedAnswer(string QuestionCode, string? Value, string? NotApplicableReason, long Version, bool AwaitingConfirmation);

/// <summary>A refused change: somebody saved this answer after the client loaded it. Carries what they saved, who and when.</summary>
public sealed record AnswerConflict(
    string QuestionCode,
    string? TheirValue,
    string? TheirReason,
    string TheirValueText,
    long CurrentVersion,
    string ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>What a save did: the overall outcome (validation errors by question), the answers saved and the conflicts refused.</summary>
public sealed record SaveAnswersResult(Outcome Outcome, IReadOnlyList<SavedAnswer> Saved, IReadOnlyList<AnswerConflict> Conflicts)
{
    public static SaveAnswersResult Failed(Outcome outcome) => new(outcome, [], []);
}

/// <summary>
/// Saves draft answers. Each answer is validated for its question's type. Concurrent editing by colleagues is
/// detected per question from the base version the client saw, so nobody silently overwrites somebody else's answer.
/// </summary>
public sealed class SaveAnswersHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task<Outcome> HandleAsync(SaveAnswersRequest request, CancellationToken cancellationToken) =>
        (await SaveAsync(request, cancellationToken)).Outcome;

    public async Task<SaveAnswersResult> SaveAsync(SaveAnswersRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A colleague's save between our read and our write fails on the answer's concurrency token (or on the unique
        // question index for a new answer); the retry reads their answer and reports it as a conflict.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SaveOnceAsync(request, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return SaveAnswersResult.Failed(Outcome.Conflict("Someone else changed these answers at the same time. Reload the page to see their changes."));
            }
        }
    }

    private async Task<SaveAnswersResult> SaveOnceAsync(SaveAnswersRequest request, CancellationToken cancellationToken)
    {
        var assessment = await db.Assessments.Include(a => a.Answers)
            .SingleOrDefaultAsync(a => a.Id == request.AssessmentId, cancellationToken);
        if (assessment is null)
        {
            return SaveAnswersResult.Failed(Outcome.NotFound());
        }

        if (!assessment.IsOpenForAnswers)
        {
            return SaveAnswersResult.Failed(Outcome.Conflict("This questionnaire has been submitted and can no longer be changed."));
        }

        var questions = await db.TemplateQuestions.AsNoTracking()
            .Where(q => q.TemplateId == assessment.TemplateId)
            .ToDictionaryAsync(q => q.Code, StringComparer.Ordinal, cancellationToken);

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var conflicts = new List<(Answer Answer, TemplateQuestion Question)>();
        var changed = new List<Answer>();
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
            var reason = value == AnswerRules.NotApplicable && !string.IsNullOrWhiteSpace(input.NotApplicableReason) ? input.NotApplicableReason.Trim() : null;
            if (AnswerRules.Validate(question, value, reason) is { } error)
            {
                errors[question.Code] = [error];
                continue;
            }

            var answer = assessment.Answers.SingleOrDefault(a => a.QuestionCode == question.Code);
            var storedValue = answer?.Value;
            var storedReason = answer?.NotApplicableReason;
            var sameAsStored = storedValue == value && storedReason == reason;
            if (!request.PerQuestion && input.BaseVersion is not null && !input.Confirm && IsUntouched(question, input, value, reason))
            {
                // A whole-form post carries every field; one the person did not touch must not undo a colleague's save.
                continue;
            }

            if (input.BaseVersion is { } seen && seen != (answer?.Version ?? 0) && !sameAsStored)
            {
                conflicts.Add((answer ?? new Answer { QuestionCode = question.Code }, question));
                continue;
            }

            if (answer is null)
            {
                if (value is null)
                {
                    continue;
                }

                answer = new Answer { QuestionCode = question.Code, SupplierId = assessment.SupplierId, AssessmentId = assessment.Id };
                assessment.Answers.Add(answer);
            }
            else if (sameAsStored && !(answer.AwaitingConfirmation && (input.Confirm || input.BaseVersion is null)))
            {
                changed.Add(answer); // nothing to write; reported as saved with its current version
                continue;
            }

            answer.Value = value;
            answer.NotApplicableReason = reason;
            answer.AwaitingConfirmation = false;
            answer.UpdatedAt = now;
            answer.UpdatedBy = request.UserId;
            changed.Add(answer);
        }

        if (errors.Count > 0 && !request.PerQuestion)
        {
            return new SaveAnswersResult(Outcome.Invalid(errors), [], await DescribeAsync(conflicts, cancellationToken));
        }

        if (assessment.State == AssessmentState.Issued && db.ChangeTracker.HasChanges())
        {
            assessment.State = AssessmentState.InProgress;
        }

        await db.SaveChangesAsync(cancellationToken);
        var saved = changed.Select(a => new SavedAnswer(a.QuestionCode, a.Value, a.NotApplicableReason, a.Version, a.AwaitingConfirmation)).ToList();
        return new SaveAnswersResult(errors.Count > 0 ? Outcome.Invalid(errors) : Outcome.Ok(), saved, await DescribeAsync(conflicts, cancellationToken));
    }

    private static bool IsUntouched(TemplateQuestion question, AnswerInput input, string? value, string? reason)
    {
        var baseValue = AnswerRules.Normalise(question, input.BaseValue);
        var baseReason = baseValue == AnswerRules.NotApplicable && !string.IsNullOrWhiteSpace(input.BaseReason) ? input.BaseReason.Trim() : null;
        return baseValue == value && baseReason == reason;
    }

    private async Task<IReadOnlyList<AnswerConflict>> DescribeAsync(List<(Answer Answer, TemplateQuestion Question)> conflicts, CancellationToken cancellationToken)
    {
        if (conflicts.Count == 0)
        {
            return [];
        }

        var userIds = conflicts.Select(c => c.Answer.UpdatedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .ToDictionaryAsync(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? "a colleague" : u.DisplayName, cancellationToken);
        return conflicts.ConvertAll(c => new AnswerConflict(
            c.Question.Code,
            c.Answer.Value,
            c.Answer.NotApplicableReason,
            AnswerText.Describe(c.Question, c.Answer.Value, c.Answer.NotApplicableReason),
            c.Answer.Version,
            c.Answer.UpdatedBy is { } by && names.TryGetValue(by, out var name) ? name : "a colleague",
            c.Answer.UpdatedAt));
    }
}

/// <summary>An answer in words, as the page shows it (labels rather than stored values).</summary>
public static class AnswerText
{
    public static string Describe(TemplateQuestion question, string? value, string? notApplicableReason)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (value is null)
        {
            return "no answer";
        }

        return question.AnswerType switch
        {
            AnswerType.YesPartialNo => value switch
            {
                AnswerRules.Yes => "Yes",
                AnswerRules.Partial => "Partly",
                AnswerRules.No => "No",
                AnswerRules.NotApplicable => notApplicableReason is null ? "Does not apply" : $"Does not apply ({notApplicableReason})",
                _ => value,
            },
            AnswerType.Maturity => $"Maturity level {value} of 5",
            AnswerType.SingleChoice or AnswerType.MultipleChoice => string.Join(", ",
                value.Split(',').Select(v => question.Options.FirstOrDefault(o => o.Value == v)?.Label ?? v)),
            _ => value,
        };
    }
}
