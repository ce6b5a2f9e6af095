using System.Globalization;
using System.Text.RegularExpressions;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>One step of the audit plan: its number, a short title and what to record (our own wording).</summary>
public sealed record AuditStepDefinition(int Number, string Title, string Prompt);

/// <summary>
/// The ten-step sequence of a second-party audit (the order the assessment guide recommends), in our own words.
/// Steps are done in order; step 8, the closing meeting, releases the findings to the supplier.
/// </summary>
public static class AuditSteps
{
    public const int OpeningMeeting = 4;
    public const int ClosingMeeting = 8;
    public const int Report = 9;
    public const int Count = 10;

    public static IReadOnlyList<AuditStepDefinition> All { get; } =
    [
        new(1, "Objectives, scope and criteria", "What this audit must establish, which sites, processes and transport modes it covers, and the clauses and own requirements it checks against."),
        new(2, "Document review", "What you read before the visit (scope statement, policy, risk assessment, treatment plan) and whether the supplier is ready for the implementation check."),
        new(3, "Audit plan", "The agenda, who audits what, and which sites, processes and records will be sampled."),
        new(4, "Opening meeting", "Who attended, and what was agreed on scope, logistics, confidentiality and how results will be reported."),
        new(5, "Evidence gathering", "Interviews held, documents and records examined, controls observed, and the samples taken across sites and modes."),
        new(6, "Control testing", "Which controls were tried in operation (access, seals, screening, incident handling) and which shipments were traced from end to end."),
        new(7, "Evaluation", "How the evidence was weighed clause by clause; each graded finding is entered in the findings list."),
        new(8, "Closing meeting", "Who attended, how the findings were presented, what was agreed about the weight of each nonconformity and the timetable for corrective action. Completing this step shows the findings to the supplier."),
        new(9, "Report", "Where the report was issued and what the supplier must send back (root cause and corrective-action plan for each nonconformity)."),
        new(10, "Verification", "How the corrective actions were checked (records or a follow-up visit), the recommendation, and when the next audit is due."),
    ];

    public static AuditStepDefinition Get(int number) =>
        number is >= 1 and <= Count ? All[number - 1] : throw new ArgumentOutOfRangeException(nameof(number), number, "Audit steps are numbered 1 to 10.");
}

/// <summary>What an audit may be checked against and what a finding may refer to.</summary>
public static partial class AuditCriteria
{
    /// <summary>The ISO 28000:2022 clauses that carry requirements.</summary>
    public static IReadOnlyList<string> Clauses { get; } = ["4", "5", "6", "7", "8", "9", "10"];

    /// <summary>The operational control domains, by the names the question bank uses.</summary>
    public static IReadOnlyList<string> Domains { get; } = [.. Enum.GetNames<ControlDomain>()];

    /// <summary>Parses "4, 5,8" into the distinct known clauses in order; null when any entry is not a clause 4–10.</summary>
    public static IReadOnlyList<string>? ParseClauses(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var parts = value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Any(p => !Clauses.Contains(p, StringComparer.Ordinal)))
        {
            return null;
        }

        return [.. parts.Distinct(StringComparer.Ordinal).OrderBy(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    /// <summary>True for a clause or sub-clause of 4–10 ("8", "8.1", "10.2") or a control domain name.</summary>
    public static bool IsValidReference(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return false;
        }

        var value = reference.Trim();
        if (Domains.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var match = ClausePattern().Match(value);
        return match.Success && Clauses.Contains(match.Groups[1].Value, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^(\d{1,2})(\.\d{1,2}){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClausePattern();
}
