namespace SupplierAssure.Core.Questionnaires;

/// <summary>What a well-formed answer looks like for each answer type.</summary>
public static class AnswerRules
{
    public const string Yes = "yes";
    public const string Partial = "partial";
    public const string No = "no";
    public const string NotApplicable = "na";
    public const int MaxTextLength = 4000;

    /// <summary>Trims and lower-cases choice values; leaves text as typed (trimmed).</summary>
    public static string? Normalise(TemplateQuestion question, string? value)
    {
        ArgumentNullException.ThrowIfNull(question);
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return question.AnswerType == AnswerType.Text ? trimmed : trimmed.ToLowerInvariant();
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
            default:
                return "This question has an unknown answer type.";
        }
    }
}
