using System.Globalization;

namespace SupplierAssure.Core.Questionnaires;

/// <summary>What a well-formed answer looks like for each answer type.</summary>
public static class AnswerRules
{
    public const string Yes = "yes";
    public const string Partial = "partial";
    public const string No = "no";
    public const string NotApplicable = "na";
    public const int MaxTextLength = 4000;
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>
    /// Trims and lower-cases choice values and puts multiple choices in option order without repeats, so equal
    /// answers are stored (and scored) identically; leaves text as typed (trimmed).
    /// </summary>
    public static string? Normalise(TemplateQuestion question, string? value)
    {
        ArgumentNullException.ThrowIfNull(question);
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        switch (question.AnswerType)
        {
            case AnswerType.Text:
                return trimmed;
            case AnswerType.MultipleChoice:
                var chosen = trimmed.ToLowerInvariant().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var known = question.Options.Select(o => o.Value).Where(chosen.Contains);
                var unknown = chosen.Where(c => !question.Options.Any(o => o.Value == c)).Distinct(StringComparer.Ordinal);
                return string.Join(',', known.Concat(unknown));
            default:
                return trimmed.ToLowerInvariant();
        }
    }

    /// <summary>Returns null when the (normalised) answer is acceptable, else a message for the person answering.</summary>
    public static string? Validate(TemplateQuestion question, string? value, string? notApplicableReason)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (value is null)
        {
            return null; // unanswered is allowed while drafting; submission checks completeness
        }

        switch (question.AnswerType)
        {
            case AnswerType.YesPartialNo:
                if (value is not (Yes or Partial or No or NotApplicable))
                {
                    return "Choose yes, partial, no or not applicable.";
                }

                if (value == NotApplicable && string.IsNullOrWhiteSpace(notApplicableReason))
                {
                    return "Say why this does not apply to you.";
                }

                return null;
            case AnswerType.Maturity:
                return value.Length == 1 && value[0] is >= '1' and <= '5' ? null : "Choose a maturity level from 1 to 5.";
            case AnswerType.Text:
                return value.Length <= MaxTextLength ? null : $"Keep the answer under {MaxTextLength} characters.";
            case AnswerType.SingleChoice:
                return question.Options.Any(o => o.Value == value) ? null : "Choose one of the options: " + string.Join(", ", question.Options.Select(o => o.Label)) + ".";
            case AnswerType.MultipleChoice:
                return value.Split(',').All(v => question.Options.Any(o => o.Value == v)) ? null : "Choose only from the options: " + string.Join(", ", question.Options.Select(o => o.Label)) + ".";
            case AnswerType.Number:
                return value.Length <= 32 && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
                    ? null : "Enter a number, using a point for decimals (e.g. 12.5).";
            case AnswerType.Date:
                return DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null : "Enter a date as year-month-day, e.g. 2026-03-31.";
            default:
                return "This question has an unknown answer type.";
        }
    }
}
