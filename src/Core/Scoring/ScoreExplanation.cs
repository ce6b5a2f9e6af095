
namespace SupplierAssure.Core.Scoring;

public enum ScoreScope
{
    Overall,
    Clause,
    Domain,
    Section,
}

/// <summary>How one answer moved a score: the points (of 100) it cost against full marks.</summary>
public sealed record ScoreContribution(string QuestionCode, string? Answer, decimal Weight, decimal Fraction, decimal PointsLost);

/// <summary>A finding with the points its question cost, for ordering what to fix first.</summary>
public sealed record Priority(ScoreFinding Finding, decimal PointsLost);

/// <summary>Explains any number of a <see cref="ScoreResult"/> from the per-question scores it keeps.</summary>
public static class ScoreExplanation
{
    /// <summary>
    /// The answers behind one score, the ones that cost most first. <paramref name="key"/> is the clause ("8"),
    /// the domain ("Cargo") or the section title; ignored for <see cref="ScoreScope.Overall"/>.
    /// </summary>
    public static IReadOnlyList<ScoreContribution> Explain(ScoreResult result, ScoreScope scope, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var members = result.Questions.Where(q => scope switch
        {
            ScoreScope.Overall => true,
            ScoreScope.Clause => MajorClause(q.Clause) == key,
            ScoreScope.Domain => q.Domain?.ToString() == key,
            ScoreScope.Section => q.Section == key,
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown scope."),
        }).ToList();
        var possible = members.Sum(q => q.Weight);
        return members
            .Select(q => new ScoreContribution(q.Code, q.Answer, q.Weight, q.Fraction, possible == 0 ? 0 : Math.Round((1 - q.Fraction) * q.Weight / possible * 100m, 1, MidpointRounding.AwayFromZero)))
            .OrderByDescending(c => c.PointsLost)
            .ThenBy(c => c.QuestionCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What to fix first: major before minor before improvement, then the answers that cost the overall score most.</summary>
    public static IReadOnlyList<Priority> WhatToFixFirst(ScoreResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lost = Explain(result, ScoreScope.Overall).ToDictionary(c => c.QuestionCode, c => c.PointsLost, StringComparer.Ordinal);
        return result.Findings
            .Select(f => new Priority(f, lost.GetValueOrDefault(f.QuestionCode)))
            .OrderBy(p => p.Finding.Grade)
            .ThenByDescending(p => p.PointsLost)
            .ThenBy(p => p.Finding.QuestionCode, StringComparer.Ordinal)
            .ToList();
    }

    private static string MajorClause(string clause)
    {
        var dot = clause.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? clause : clause[..dot];
    }
}
