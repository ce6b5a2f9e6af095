using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Credentials;

/// <summary>The customs and supply-chain security credentials a supplier can hold.</summary>
public enum CredentialType
{
    /// <summary>EU Authorised Economic Operator: AEOC (customs simplifications), AEOS (security and safety) or AEOF (both).</summary>
    EuAeo = 1,
    /// <summary>US Customs-Trade Partnership Against Terrorism, named by its account or SVI number.</summary>
    CTpat = 2,
    /// <summary>TAPA Facility Security Requirements, level A, B or C.</summary>
    TapaFsr = 3,
    /// <summary>TAPA Trucking Security Requirements, level 1, 2 or 3.</summary>
    TapaTsr = 4,
    /// <summary>ISO 28000 security management system certificate.</summary>
    Iso28000 = 5,
    /// <summary>ISO/IEC 27001 information security management system certificate.</summary>
    IsoIec27001 = 6,
    /// <summary>EU EORI registration: the country code, then up to 15 letters or digits.</summary>
    Eori = 7,
}

/// <summary>How far a credential's claim has been checked.</summary>
public enum VerificationState
{
    /// <summary>Submitted; nobody has checked it yet.</summary>
    Unverified = 1,
    /// <summary>No public registry exists; a reviewer must check the evidence.</summary>
    PendingReview = 2,
    /// <summary>A registry or a reviewer confirmed it.</summary>
    Verified = 3,
    /// <summary>The registry has no such authorisation for this holder.</summary>
    NotFoundInRegistry = 4,
    /// <summary>A reviewer found the evidence wanting.</summary>
    Rejected = 5,
}

/// <summary>A credential a partner (or the supplier) says the supplier holds, and what checking it found.</summary>
public sealed class Credential : ISupplierOwned, IVersioned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public CredentialType Type { get; set; }
    /// <summary>The authorisation or certificate number, normalised (upper case, no spaces).</summary>
    public required string Number { get; set; }
    /// <summary>TAPA level (A/B/C for FSR, 1/2/3 for TSR); null for other types.</summary>
    public string? Level { get; set; }
    /// <summary>Who issued it: the customs authority or the certification body.</summary>
    public string? Issuer { get; set; }
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    /// <summary>What the credential covers (sites, activities), as stated on it.</summary>
    public string? Scope { get; set; }
    /// <summary>Where the evidence is (an evidence file id or the issuer's certificate URL).</summary>
    public string? EvidenceReference { get; set; }
    public VerificationState VerificationState { get; set; } = VerificationState.Unverified;
    public DateTimeOffset? VerifiedAt { get; set; }
    /// <summary>Which registry or reviewer gave the verification state.</summary>
    public string? VerificationSource { get; set; }
    public string? VerificationNote { get; set; }
    /// <summary>The OAuth client id of the partner system that submitted it.</summary>
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public long Version { get; set; }
}
