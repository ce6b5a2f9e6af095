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

    private ScoringModel(TemplateQuestion[] questions, int[] clauseIndex, string[] sections, int[] sectionIndex)
    {
        Questions = questions;
        ClauseIndex = clauseIndex;
        Sections = sections;
        SectionIndex = sectionIndex;
    }

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

        return new ScoringModel(ordered, clauseIndex, [.. sections], sectionIndex);
    }
}
