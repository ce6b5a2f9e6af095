using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Scoring;

/// <summary>
/// The outcome of scoring one assessment. Same answers, same template, same model version: same result. Stored as a
/// JSON snapshot with its <see cref="ModelVersion"/>, so a later model never rewrites an earlier result.
/// </summary>
public sealed record ScoreResult(
    string ModelVersion,
    decimal OverallScore,
    int MaturityLevel,
    RiskRating RiskRating,
    IReadOnlyList<SectionScore> Sections,
    IReadOnlyList<ScoreGap> Gaps,
    int CriticalGapCount,
    int ScoredQuestionCount,
    IReadOnlyList<AreaScore> Clauses,
    IReadOnlyList<AreaScore> Domains,
    IReadOnlyList<ScoreFinding> Findings,
    IReadOnlyList<QuestionScore> Questions);

public sealed record SectionScore(string Section, decimal Score, int MaturityLevel);

/// <summary>The score of one ISO 28000 clause ("4" … "10") or one control domain ("Physical" …).</summary>
public sealed record AreaScore(string Key, string Title, decimal Score, int MaturityLevel, decimal Achieved, decimal Possible, int QuestionCount);

/// <summary>A question below what the supplier's tier expects. <see cref="Achieved"/> and <see cref="Expected"/> are 0..1.</summary>
public sealed record ScoreGap(string QuestionCode, string Clause, bool Critical, decimal Achieved, decimal Expected = 1m, ControlDomain? Domain = null);

/// <summary>How an auditor would grade a finding.</summary>
public enum FindingGrade
{
    MajorNonconformity,
    MinorNonconformity,
    OpportunityForImprovement,
}

/// <summary>A finding raised automatically from the answers, with the rule that raised it.</summary>
public sealed record ScoreFinding(string QuestionCode, string Clause, ControlDomain? Domain, FindingGrade Grade, string Reason);

/// <summary>What one scored question contributed: <see cref="Fraction"/> (0..1) of <see cref="Weight"/>.</summary>
public readonly record struct QuestionScore(string Code, string Clause, ControlDomain? Domain, string Section, decimal Weight, decimal Fraction, string? Answer);
