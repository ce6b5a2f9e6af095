using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Assessments;

/// <summary>Why a question still holds up submission.</summary>
public enum RequirementGap
{
    /// <summary>Nothing: the question is done.</summary>
    None,

    /// <summary>A scored question that is shown to this supplier has no answer.</summary>
    Unanswered,

    /// <summary>An answer carried over from the last cycle that nobody has confirmed or changed yet.</summary>
    AwaitingConfirmation,
}

/// <summary>One question submission demands, and what (if anything) is still missing for it.</summary>
public sealed record RequiredQuestion(TemplateQuestion Question, RequirementGap Gap)
{
    public bool Done => Gap == RequirementGap.None;

    /// <summary>The message the submit page shows for a gap; null when done.</summary>
    public string? Message => Gap switch
    {
        RequirementGap.Unanswered => $"Answer question {Question.Code} before submitting.",
        RequirementGap.AwaitingConfirmation => $"Confirm or change your answer to question {Question.Code}; it was carried over from your last assessment.",
        _ => null,
    };
}

/// <summary>
/// The one rule for what a questionnaire needs before it can be submitted. Submission lists its gaps as "what is
/// missing"; the answering page counts the same list per section as progress, so the two can never disagree.
/// </summary>
public static class SubmissionRequirements
{
    /// <summary>
    /// The questions submission demands, in <paramref name="questions"/>' order: the scored questions of the tier that
    /// are shown to this supplier (its roles and the answers so far), plus any shown question whose answer was carried
    /// over and still awaits confirmation. A question hidden by its condition is never demanded, and free-form
    /// (number, date, text) questions inform without being required.
    /// </summary>
    public static IReadOnlyList<RequiredQuestion> Evaluate(
        IEnumerable<TemplateQuestion> questions, SupplierTier tier, SupplyChainRoles roles, IEnumerable<Answer> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        var stored = answers.ToDictionary(a => a.QuestionCode, StringComparer.Ordinal);
        var values = stored.ToDictionary(a => a.Key, a => a.Value.Value, StringComparer.Ordinal);
        var required = new List<RequiredQuestion>();
        foreach (var question in questions)
        {
            if (!question.AppliesTo(tier) || !question.IsShown(roles, values))
            {
                continue;
            }

            var answer = stored.GetValueOrDefault(question.Code);
            if (question.IsScored && answer?.Value is null)
            {
                required.Add(new RequiredQuestion(question, RequirementGap.Unanswered));
            }
            else if (answer is { AwaitingConfirmation: true })
            {
                // Answers carried over from the last cycle count only once somebody confirmed or changed them.
                required.Add(new RequiredQuestion(question, RequirementGap.AwaitingConfirmation));
            }
            else if (question.IsScored)
            {
                required.Add(new RequiredQuestion(question, RequirementGap.None));
            }
        }

        return required;
    }

    /// <summary>The gaps as the submit page's "what is missing" list: unanswered questions in order, then carried-over answers by code.</summary>
    public static Dictionary<string, string[]> Missing(IReadOnlyList<RequiredQuestion> required)
    {
        ArgumentNullException.ThrowIfNull(required);
        return required.Where(r => r.Gap == RequirementGap.Unanswered)
            .Concat(required.Where(r => r.Gap == RequirementGap.AwaitingConfirmation).OrderBy(r => r.Question.Code, StringComparer.Ordinal))
            .ToDictionary(r => r.Question.Code, r => new[] { r.Message! }, StringComparer.Ordinal);
    }
}

/// <summary>One section's progress: how many of the answers submission demands in it are there.</summary>
/// <param name="Anchor">The section's element id on the answering page ("section-" and its first question's code).</param>
public sealed record SectionProgress(string Section, string Anchor, int Answered, int Required, int Questions)
{
    public bool Complete => Answered == Required;

    /// <summary>Progress per section of the questions put to the tier, in page order, from <see cref="SubmissionRequirements.Evaluate"/>.</summary>
    public static IReadOnlyList<SectionProgress> Of(IEnumerable<TemplateQuestion> questions, SupplierTier tier, IReadOnlyList<RequiredQuestion> required)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(required);
        var bySection = required.ToLookup(r => r.Question.Section, StringComparer.Ordinal);
        return questions.Where(q => q.AppliesTo(tier))
            .GroupBy(q => q.Section, StringComparer.Ordinal)
            .Select(g => new SectionProgress(g.Key, AnchorOf(g.First().Code), bySection[g.Key].Count(r => r.Done), bySection[g.Key].Count(), g.Count()))
            .ToList();
    }

    public static string AnchorOf(string firstQuestionCode) => "section-" + firstQuestionCode;
}
