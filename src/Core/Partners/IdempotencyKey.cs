using System.Security.Cryptography;
using System.Text.Json;

namespace SupplierAssure.Core.Partners;

/// <summary>
/// A write a partner client has already made under a key of its choosing. A retry with the same key and the same
/// request gets the first result back and creates nothing; the same key with another request is refused.
/// </summary>
public sealed class IdempotencyKey
{
    public const int MaxKeyLength = 100;

    /// <summary>Keys are per client: two partners may pick the same key without meeting.</summary>
    public required string ClientId { get; set; }
    public required string Key { get; set; }
    /// <summary>The operation the key was first used for, e.g. "SubmitCredential".</summary>
    public required string Operation { get; set; }
    /// <summary>SHA-256 of the request, hex: tells a true retry from a different request reusing the key.</summary>
    public required string RequestHash { get; set; }
    /// <summary>What the first call made or acted on.</summary>
    public Guid ResourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A stable fingerprint of <paramref name="request"/> (a record of plain values).</summary>
    public static string HashOf<T>(T request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));

    /// <summary>Null when <paramref name="key"/> is usable, else what is wrong with it.</summary>
    public static string? KeyError(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "An idempotency key is required, so that a retry creates nothing new (a UUID per logical write is a good key)."
        : key.Length > MaxKeyLength ? $"An idempotency key has at most {MaxKeyLength} characters."
        : null;
}
