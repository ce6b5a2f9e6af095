namespace SupplierAssure.Core.Partners;

/// <summary>A supplier's grant that lets one partner machine client read part of its assurance profile.</summary>
public sealed class SharingConsent : Data.ISupplierOwned
{
    public const string StatusScope = "status";

    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    /// <summary>The OAuth client id of the partner system.</summary>
    public required string PartnerClientId { get; set; }
    public required string Scope { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
