using System.Collections.Frozen;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.QuestionBank;

/// <summary>
/// The fixed vocabularies a question bank file is checked against: the ISO 28000 requirement areas and the
/// framework categories questions map to. Fixed lists (not free text) so filters and reports group reliably.
/// </summary>
public static class Frameworks
{
    /// <summary>Every requirement area of ISO 28000:2022 clauses 4 to 10, in clause order.</summary>
    public static readonly IReadOnlyList<string> ClauseAreas =
    [
        "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
        "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "8.5", "9.1", "9.2", "9.3", "10.1", "10.2",
    ];

    /// <summary>C-TPAT minimum security criteria categories.</summary>
    public static readonly FrozenSet<string> CtpatAreas = new[]
    {
        "Security Vision and Responsibility", "Risk Assessment", "Business Partners", "Cybersecurity",
        "Conveyance and Instruments of International Traffic Security", "Seal Security", "Procedural Security",
        "Agricultural Security", "Physical Security", "Physical Access Controls", "Personnel Security",
        "Security Training and Awareness",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>EU AEO security and safety criterion areas (the headings of the AEO self-assessment).</summary>
    public static readonly FrozenSet<string> AeoAreas = new[]
    {
        "Security assessment", "Entry and access to premises", "Physical security", "Cargo units", "Logistical processes",
        "Non-fiscal requirements", "Incoming goods", "Storage of goods", "Production of goods", "Loading of goods",
        "Business partner security", "Personnel security", "External services", "Security awareness",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Largest control number in each ISO/IEC 27001:2022 Annex A theme (A.5 organisational … A.8 technological).</summary>
    private static readonly int[] AnnexAThemeSizes = [37, 8, 14, 34];

    public static bool IsClauseArea(string? clause) => clause is not null && ClauseAreas.Contains(clause);

    /// <summary>True for an existing Annex A control such as A.5.15 or A.8.24.</summary>
    public static bool IsAnnexAControl(string? control)
    {
        if (control is null || !control.StartsWith("A.", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = control[2..].Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var theme)
            && theme is >= 5 and <= 8
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number >= 1 && number <= AnnexAThemeSizes[theme - 5];
    }

    /// <summary>TAPA mappings name the standard first: FSR for facilities, TSR for trucking.</summary>
    public static bool IsTapaReference(string? reference) =>
        reference is not null && (reference.StartsWith("FSR", StringComparison.Ordinal) || reference.StartsWith("TSR", StringComparison.Ordinal));

    public static string Title(ControlDomain domain) => domain switch
    {
        ControlDomain.Physical => "Physical and facility security",
        ControlDomain.Personnel => "Personnel security",
        ControlDomain.Information => "Information and cyber security",
        ControlDomain.Cargo => "Cargo and conveyance security",
        ControlDomain.Transport => "Transport and route security",
        ControlDomain.Partners => "Business partner security",
        ControlDomain.Procedural => "Procedural security",
        ControlDomain.Incident => "Incident, threat and crisis management",
        _ => throw new ArgumentOutOfRangeException(nameof(domain), domain, "Unknown control domain."),
    };
}
