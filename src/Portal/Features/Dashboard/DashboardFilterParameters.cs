using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Kpis;
using SupplierAssure.Portal.Api;

namespace SupplierAssure.Portal.Features.Dashboard;

/// <summary>
/// The dashboard's supplier-list filters as query parameters of GET /api/v1/suppliers, named as on the Suppliers page
/// (schedule, credential, finding, fclause, actions, questionnaire, mclause with mlevel).
/// </summary>
public sealed class DashboardFilterParameters
{
    public string? Schedule { get; init; }
    public string? Credential { get; init; }
    public string? Finding { get; init; }
    public string? Fclause { get; init; }
    public string? Actions { get; init; }
    public string? Questionnaire { get; init; }
    public string? Mclause { get; init; }
    public int? Mlevel { get; init; }

    internal Task<SupplierKpiFilter> ToFilterAsync(Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var filter = new SupplierKpiFilter(
            ApiExtensions.ParseEnum<ScheduleFilter>(Schedule, "schedule", errors),
            ApiExtensions.ParseEnum<CredentialFilter>(Credential, "credential", errors),
            ApiExtensions.ParseEnum<NonconformityGrade>(Finding, "finding", errors),
            string.IsNullOrWhiteSpace(Fclause) ? null : Fclause.Trim(),
            ApiExtensions.ParseEnum<CorrectiveActionFilter>(Actions, "actions", errors),
            ApiExtensions.ParseEnum<QuestionnaireFilter>(Questionnaire, "questionnaire", errors));
        if (Mclause is null && Mlevel is null)
        {
            return Task.FromResult(filter);
        }

        if (Mclause is null || !ProcurementKpis.Clauses.Contains(Mclause) || Mlevel is not (>= 1 and <= 5))
        {
            errors["mclause"] = [$"Give mclause (one of {string.Join(", ", ProcurementKpis.Clauses)}) together with mlevel (1 to 5)."];
            return Task.FromResult(filter);
        }

        // Applied in SQL by ProcurementKpis.Apply (an EXISTS on the suppliers' clause levels).
        return Task.FromResult(filter with { MaturityClause = Mclause, MaturityLevel = Mlevel });
    }
}
