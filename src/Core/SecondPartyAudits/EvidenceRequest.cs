using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.SecondPartyAudits;

public enum EvidenceRequestState
{
    /// <summary>Asked for; the supplier has not answered.</summary>
    Open,

    /// <summary>The supplier answered with a note and/or files.</summary>
    Answered,
}

/// <summary>
/// Documented information the auditors ask the supplier for during an audit, by category of the evidence request
/// list (<see cref="EvidenceCategories"/>); the supplier answers in the Portal with a note and files.
/// </summary>
public sealed class EvidenceRequest : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid AuditId { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>The key of one of <see cref="EvidenceCategories.All"/>.</summary>
    public required string Category { get; set; }

    /// <summary>What exactly the auditors want to see, in their words.</summary>
    public required string Details { get; set; }
    public DateOnly? DueOn { get; set; }
    public Guid RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public EvidenceRequestState State { get; set; } = EvidenceRequestState.Open;
    public string? Response { get; set; }
    public Guid? RespondedBy { get; set; }
    public DateTimeOffset? RespondedAt { get; set; }

    /// <summary>
    /// Grows with every save (the auditor changing the request, the supplier answering it); a concurrency token, so
    /// an answer or a change made on a copy read before another one is refused instead of overwriting it.
    /// </summary>
    public long Version { get; set; }

    public const int MaxDetailsLength = 1000;
    public const int MaxResponseLength = 4000;
}

/// <summary>
/// A file kept for an audit's follow-up: the supplier's answer to an evidence request, or the implementation
/// evidence of a corrective action. Bytes live in the evidence store under our own key, as questionnaire evidence does.
/// Exactly one of <see cref="EvidenceRequestId"/> and <see cref="RemediationId"/> is set.
/// </summary>
public sealed class AuditFile : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid? EvidenceRequestId { get; set; }
    public Guid? RemediationId { get; set; }

    /// <summary>The name the uploader gave, for display and download only; never used as a path.</summary>
    public required string FileName { get; set; }

    /// <summary>Found by sniffing the bytes, not taken from the browser.</summary>
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string Sha256 { get; set; }
    public required string StorageKey { get; set; }
    public Guid UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>One category of the evidence request list: a key and what it covers, in our own words.</summary>
public sealed record EvidenceCategory(string Key, string Title, string Examples);

/// <summary>
/// The categories of documented information an auditor asks a supplier for, following the structure of the
/// assessment guide's evidence request list (paraphrased, not quoted).
/// </summary>
public static class EvidenceCategories
{
    public static IReadOnlyList<EvidenceCategory> All { get; } =
    [
        new("context", "Context and scope", "How the organisation analysed its context and stakeholders, the boundary of the management system, and maps of the flows and assets it depends on."),
        new("leadership", "Leadership and policy", "The approved security policy, proof that top management is involved, the organisation chart, who is responsible for what, and the named security manager."),
        new("legal", "Legal and compliance", "The register of laws and rules that apply, security clauses customers impose, licences held and export-control records."),
        new("risk", "Risk management", "The method used to assess risk, the registers of threats and risks, the treatment plan, which controls apply, and who accepted the remaining risk."),
        new("objectives", "Objectives and planning", "Security objectives with their plans and targets, and records of how changes are managed."),
        new("support", "Support", "Budget and staffing, skills and training records, awareness activities, the communication plan, and how documents are controlled."),
        new("physical", "Physical security", "Site security plans, access and camera or alarm logs, and how goods are stored securely."),
        new("personnel", "Personnel security", "How staff are screened, logs of visitors and contractors, and measures against insider threats."),
        new("cargo", "Cargo and transport", "Seal logs, inspection checklists for containers and trailers, tracking data, route risk reviews and instructions for drivers."),
        new("cyber", "Information and cyber security", "How data is classified and access controlled, the link to an information security system, and protection of shipment data."),
        new("partners", "Business partners", "Questionnaires sent to its own suppliers, reports of audits of partners, security terms in contracts and the list of approved vendors."),
        new("incidents", "Security plans and incidents", "Plans for each threat level, reports of incidents and their investigation, exercises held and contacts with the authorities."),
        new("improvement", "Performance and improvement", "Monitoring figures, the internal audit programme and its reports, management review minutes, and the log of nonconformities and corrective actions."),
    ];

    public static EvidenceCategory? Find(string? key) =>
        All.FirstOrDefault(c => string.Equals(c.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
}
