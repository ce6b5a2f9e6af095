using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Scoring;

/// <summary>The outcome of scoring one assessment. Same answers, same template, same model: same result.</summary>
public sealed record ScoreResult(
    string ModelVersion,
    decimal OverallScore,
    int MaturityLevel,
    RiskRating RiskRating,
    IReadOnlyList<SectionScore> Sections,
    IReadOnlyList<ScoreGap> Gaps,
    int CriticalGapCount,
    int ScoredQuestionCount);

public sealed record SectionScore(string Section, decimal Score, int MaturityLevel);

/// <summary>A question that did not reach full marks. <see cref="Achieved"/> is 0..1.</summary>
public sealed record ScoreGap(string QuestionCode, string Clause, bool Critical, decimal Achieved);
