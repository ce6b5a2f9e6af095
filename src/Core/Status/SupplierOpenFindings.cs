namespace SupplierAssure.Core.Status;

/// <summary>
/// A supplier's open findings by grade, kept as one row beside the supplier so that a status look-up reads one row
/// instead of counting findings on every call. Incident findings (<see cref="Incidents.Finding"/>) are open until
/// closed (open or under review); assessment findings (<see cref="Findings.AssessmentFinding"/>) while open. Major
/// and minor add both kinds; opportunities for improvement come from assessment findings only.
/// </summary>
/// <remarks>
/// Written only by <see cref="OpenFindingsCounter"/>, which recounts the row from the findings tables whenever a
/// save adds, changes or removes a finding of the supplier, in the same transaction. Nothing else may write it.
/// </remarks>
public sealed class SupplierOpenFindings
{
    public Guid SupplierId { get; set; }
    public int Critical { get; set; }
    public int Major { get; set; }
    public int Minor { get; set; }
    public int Improvements { get; set; }
}
