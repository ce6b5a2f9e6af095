using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Suppliers;

/// <summary>What happens at a supplier's site, as far as the flow of goods is concerned.</summary>
public enum SiteFunction
{
    /// <summary>Goods are made, assembled or packed here.</summary>
    Manufacturing = 1,

    /// <summary>Goods are stored and picked for onward delivery (warehouse, distribution centre, bonded store).</summary>
    WarehouseDistribution = 2,

    /// <summary>Loads are consolidated or split and move on within hours (cross-dock, hub, consolidation point).</summary>
    CrossDock = 3,

    /// <summary>A seaport, inland container terminal, rail terminal or air cargo terminal.</summary>
    PortTerminal = 4,

    /// <summary>Where trucks, trailers and drivers are based between trips.</summary>
    TransportDepot = 5,

    /// <summary>Offices only: administration, customs filings, dispatch planning; no goods on site.</summary>
    Office = 6,

    /// <summary>Anything else; the notes say what.</summary>
    Other = 99,
}

/// <summary>
/// A place where the supplier handles the operator's goods or runs the processes that protect them. Second-party
/// audits name the sites they visit (<see cref="SecondPartyAudits.SupplierAudit.ScopeSites"/>), so the recorded
/// sites are what an auditor picks the scope from. A site is never deleted: retiring it keeps it for the audits and
/// findings that named it, and frees its name for a new site.
/// </summary>
public sealed class SupplierSite : ISupplierOwned, IVersioned
{
    public const int MaxNameLength = 120;
    public const int MaxAddressLength = 200;
    public const int MaxCityLength = 100;
    public const int MaxPostalCodeLength = 20;
    public const int MaxNotesLength = 1000;

    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }
    public required string Name { get; set; }

    /// <summary>
    /// Upper-cased, trimmed <see cref="Name"/> while the site is in use, null once retired: a unique index on
    /// (supplier, this) is the one-name-per-supplier rule on every provider, and a retired site's name can be reused.
    /// </summary>
    public string? NormalizedName { get; set; }

    public SiteFunction Function { get; set; }
    public required string AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public required string City { get; set; }
    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string CountryCode { get; set; }

    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the site was taken out of use; a retired site is kept but no longer offered for audit scope.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    public long Version { get; set; }

    public bool IsRetired => RetiredAt is not null;
}
