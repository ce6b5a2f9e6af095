namespace SupplierAssure.Core.Evidence;

/// <summary>Where evidence bytes live. Keys are ours, never derived from a user-supplied name.</summary>
public interface IEvidenceStore
{
    /// <summary>Writes the content under a new key; returns the key, the length and the SHA-256 (hex).</summary>
    Task<StoredEvidence> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string storageKey, CancellationToken cancellationToken);

    Task DeleteAsync(string storageKey, CancellationToken cancellationToken);
}

public sealed record StoredEvidence(string StorageKey, long Length, string Sha256);

/// <summary>Thrown when the content exceeds the size limit while it is written.</summary>
public sealed class EvidenceTooLargeException(long maxBytes) : Exception(MessageFor(maxBytes))
{
    public long MaxBytes { get; } = maxBytes;

    /// <summary>The refusal a person reads (callers that answer with a status code match on it).</summary>
    public static string MessageFor(long maxBytes) => $"The file is larger than the {maxBytes / (1024 * 1024)} MB limit.";
}

public sealed class EvidenceOptions
{
    public const string SectionName = "Evidence";

    /// <summary>Folder that holds evidence files; must not be under the web root. Relative paths are resolved against the data directory.</summary>
    public string StoragePath { get; set; } = "evidence";

    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;
}
