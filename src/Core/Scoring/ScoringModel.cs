using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Scoring;

/// <summary>
/// A template's questions prepared for scoring: each question's clause, domain and section turned into array
/// indexes once, so scoring itself only adds numbers. Immutable; build one per template version and reuse it.
/// </summary>
public sealed class ScoringModel
{
    internal const int ClauseCount = 7; // clauses 4 to 10
    internal static readonly int DomainCount = Enum.GetValues<ControlDomain>().Length;

    /// <summary>Weights are kept in hundredths and fractions in ten-thousandths, so sums are exact integers.</summary>
    internal const long WeightScale = 100;
    internal const long FractionScale = 10_000;

    private ScoringModel(TemplateQuestion[] questions, int[] clauseIndex, string[] sections, int[] sectionIndex, long[] weightUnits, long[][] optionUnits)
    {
        Questions = questions;
        ClauseIndex = clauseIndex;
        Sections = sections;
        SectionIndex = sectionIndex;
        WeightUnits = weightUnits;
        OptionUnits = optionUnits;
    }

    internal long[] WeightUnits { get; }
    /// <summary>Each question's option scores in ten-thousandths, in option order (empty for non-choice questions).</summary>
    internal long[][] OptionUnits { get; }

    internal TemplateQuestion[] Questions { get; }
    internal int[] ClauseIndex { get; }
    internal string[] Sections { get; }
    internal int[] SectionIndex { get; }

    public static ScoringModel Compile(IReadOnlyList<TemplateQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var ordered = questions.OrderBy(q => q.Order).ToArray();
        var clauseIndex = new int[ordered.Length];
        var sectionIndex = new int[ordered.Length];
        var sections = new List<string>();
        for (var i = 0; i < ordered.Length; i++)
        {
            var clause = ordered[i].Clause;
            var dot = clause.IndexOf('.', StringComparison.Ordinal);
            var major = int.Parse(dot < 0 ? clause : clause[..dot], System.Globalization.CultureInfo.InvariantCulture);
            if (major is < 4 or > 10)
            {
                throw new ArgumentException($"Question {ordered[i].Code} has clause {clause}, outside 4 to 10.", nameof(questions));
            }

            clauseIndex[i] = major - 4;
            var s = sections.IndexOf(ordered[i].Section);
            if (s < 0)
            {
                s = sections.Count;
                sections.Add(ordered[i].Section);
            }

            sectionIndex[i] = s;
        }

        var weightUnits = ordered.Select(q => ToUnits(q.Weight, WeightScale, q.Code, "weight")).ToArray();
        var optionUnits = ordered.Select(q => q.Options.Select(o => ToUnits(o.Score, FractionScale, q.Code, "option score")).ToArray()).ToArray();
        return new ScoringModel(ordered, clauseIndex, [.. sections], sectionIndex, weightUnits, optionUnits);
    }

    private static long ToUnits(decimal value, long scale, string code, string what)
    {
        var units = value * scale;
        if (units != decimal.Truncate(units))
        {
            throw new ArgumentException($"Question {code} has a {what} of {value}, finer than the scoring model supports.", nameof(value));
        }

        return (long)units;
    }
}
