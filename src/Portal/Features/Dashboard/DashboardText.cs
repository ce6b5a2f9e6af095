using System.Globalization;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Kpis;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Dashboard;

/// <summary>Words for the dashboard's figures and for the list filters they link to.</summary>
public static class DashboardText
{
    public static string Grade(NonconformityGrade grade) => grade switch
    {
        NonconformityGrade.MajorNonconformity => "Major nonconformity",
        NonconformityGrade.MinorNonconformity => "Minor nonconformity",
        _ => "Opportunity for improvement",
    };

    public static string Clause(string clause) => clause == ProcurementKpis.OtherClause ? "No clause" : "Clause " + clause;

    public static string Percent(Share share)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.Percent is { } p ? p.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "no data";
    }

    /// <summary>What the supplier list shows when it is opened from a dashboard figure.</summary>
    public static string Describe(SupplierKpiFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (filter.Schedule is { } schedule)
        {
            parts.Add(schedule == ScheduleFilter.InDate ? "assurance in date" : "assurance lapsed or never given");
        }

        if (filter.Credential is { } credential)
        {
            parts.Add(credential == CredentialFilter.Valid ? "holding a valid AEO, C-TPAT or TAPA credential" : "without a valid AEO, C-TPAT or TAPA credential");
        }

        if (filter.OpenFindingGrade is { } grade)
        {
            parts.Add("with an open finding graded " + Grade(grade).ToLowerInvariant());
        }

        if (filter.OpenFindingClause is { } clause)
        {
            parts.Add("with an open finding on " + Clause(clause).ToLowerInvariant());
        }

        if (filter.CorrectiveActions is { } actions)
        {
            parts.Add(actions switch
            {
                CorrectiveActionFilter.ClosedOnTime => "with a corrective action closed on time in the last 12 months",
                CorrectiveActionFilter.ClosedLate => "with a corrective action closed late in the last 12 months",
                _ => "with a corrective action closed in the last 12 months",
            });
        }

        if (filter.Questionnaires is { } questionnaires)
        {
            parts.Add(questionnaires == QuestionnaireFilter.Completed
                ? "with a questionnaire submitted (issued in the last 12 months)"
                : "with a questionnaire past its due date and not submitted (issued in the last 12 months)");
        }

        if (filter is { MaturityClause: { } mclause, MaturityLevel: { } level })
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"at maturity level {level} on clause {mclause} in their newest scored assessment"));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The supplier list with the given filters.</summary>
    public static string ListLink(params (string Key, string? Value)[] filters) =>
        "/Suppliers?" + string.Join("&", filters.Where(f => f.Value is not null).Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value!)}"));

    public static string TierShort(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => "Tier 1",
        SupplierTier.Tier2Significant => "Tier 2",
        SupplierTier.Tier3Standard => "Tier 3",
        _ => "Excluded",
    };
}

/// <summary>One bar of a chart: its label, its value, and the supplier list behind it.</summary>
public sealed record Bar(string Label, decimal Value, string Display, string Link, string Fill);

/// <summary>A horizontal bar chart: its id (for the accessible name), its title and its bars.</summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<Bar> Bars);
