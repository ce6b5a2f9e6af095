using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Evidence;

/// <summary>What kind of document a library entry is; only for sorting and finding it again.</summary>
public enum EvidenceCategory
{
    Other,
    Policy,
    Procedure,
    Certificate,
    Record,
    Report,
    Training,
    Plan,
    Contract,
}

/// <summary>
/// One entry of an organisation's evidence library: a document with a title, a category and an optional expiry,
/// whose bytes live in <see cref="EvidenceVersion"/> rows (never overwritten). An assessment question uses it
/// through an <see cref="Assessments.EvidenceFile"/> row that points at one of its versions.
/// </summary>
public sealed class EvidenceDocument : IVersioned, ISupplierOwned
{
    public const int TitleMaxLength = 200;

    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public required string Title { get; set; }
    public EvidenceCategory Category { get; set; }

    /// <summary>The last day the document is valid (a certificate's end date, a policy's review date); null when it does not expire.</summary>
    public DateOnly? ExpiresOn { get; set; }

    /// <summary>The version new links use and that open assessments show.</summary>
    public Guid CurrentVersionId { get; set; }

    /// <summary>The number of the newest version; the next replacement takes this + 1 (guarded by <see cref="Version"/>).</summary>
    public int LatestNumber { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Concurrency token (two replacements at once: the second is told to reload).</summary>
    public long Version { get; set; }
}

/// <summary>The stored bytes of one version of a library document. Written once; an old version stays readable.</summary>
public sealed class EvidenceVersion : ISupplierOwned
{
    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public Guid DocumentId { get; set; }
    public int Number { get; set; }

    /// <summary>The name the uploader gave, for display and download only; never used as a path.</summary>
    public required string FileName { get; set; }

    /// <summary>Content type found by sniffing the bytes, not taken from the browser.</summary>
    public required string ContentType { get; set; }

    public long Length { get; set; }
    public required string Sha256 { get; set; }
    public required string StorageKey { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

public enum ExpiryState
{
    NoExpiry,
    Valid,
    ExpiresSoon,
    Expired,
}

public static class EvidenceExpiry
{
    /// <summary>A document within this many days of its last valid day is flagged as expiring soon.</summary>
    public const int SoonDays = 30;

    public static ExpiryState StateOn(DateOnly? expiresOn, DateOnly today) => expiresOn switch
    {
        null => ExpiryState.NoExpiry,
        { } last when last < today => ExpiryState.Expired,
        { } last when last <= today.AddDays(SoonDays) => ExpiryState.ExpiresSoon,
        _ => ExpiryState.Valid,
    };

    public static string Label(ExpiryState state) => state switch
    {
        ExpiryState.Expired => "Expired",
        ExpiryState.ExpiresSoon => "Expires soon",
        ExpiryState.Valid => "Valid",
        _ => "No expiry",
    };
}
