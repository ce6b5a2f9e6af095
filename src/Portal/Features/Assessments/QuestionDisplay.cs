using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Assessments;

/// <summary>How the answering page puts one question of the tier to the supplier.</summary>
public enum QuestionDisplay
{
    /// <summary>Never asked of this supplier (its roles rule the question out): not rendered at all.</summary>
    NotAsked,

    /// <summary>Rendered but hidden: its trigger question's current answer does not call for it. The page's script shows it when that answer changes.</summary>
    Hidden,

    /// <summary>Asked now.</summary>
    Shown,
}

/// <summary>
/// The answering page's reading of <see cref="TemplateQuestion.IsShown"/>, the same rule submission, readiness and
/// scoring use, split into its two halves: the supplier's roles decide whether a question is on the page at all, the
/// trigger question's answer whether it is visible now.
/// </summary>
public static class QuestionDisplays
{
    /// <summary>
    /// The display of <paramref name="question"/> for a supplier with <paramref name="roles"/> given the answers as the
    /// page shows them. The role half is asked of <see cref="TemplateQuestion.IsShown"/> itself with a trigger answer
    /// that satisfies the condition, so the rule lives in one place.
    /// </summary>
    public static QuestionDisplay Of(TemplateQuestion question, SupplyChainRoles roles, IReadOnlyDictionary<string, string?> answersByCode)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answersByCode);
        var triggerValues = ShowingValues(question);
        var possible = question.ShowWhenQuestion is null
            ? new Dictionary<string, string?>(StringComparer.Ordinal)
            : triggerValues.Count == 0 ? null : new Dictionary<string, string?>(StringComparer.Ordinal) { [question.ShowWhenQuestion] = triggerValues[0] };
        if (possible is null || !question.IsShown(roles, possible))
        {
            return QuestionDisplay.NotAsked;
        }

        return question.IsShown(roles, answersByCode) ? QuestionDisplay.Shown : QuestionDisplay.Hidden;
    }

    /// <summary>
    /// data-show-when (the trigger question's code) and data-show-any-of (the answers that show it, comma-separated) for
    /// a question with an answer condition, encoded; nothing for any other (Razor writes data- attributes even when null).
    /// </summary>
    public static IHtmlContent ConditionAttributes(TemplateQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.ShowWhenQuestion is null)
        {
            return HtmlString.Empty;
        }

        var encoder = HtmlEncoder.Default;
        return new HtmlString($" data-show-when=\"{encoder.Encode(question.ShowWhenQuestion)}\" data-show-any-of=\"{encoder.Encode(string.Join(',', ShowingValues(question)))}\"");
    }

    /// <summary>The trigger answers that show the question (empty when it has no answer condition).</summary>
    public static IReadOnlyList<string> ShowingValues(TemplateQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.ShowWhenQuestion is null
            ? []
            : (question.ShowWhenAnyOf ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
