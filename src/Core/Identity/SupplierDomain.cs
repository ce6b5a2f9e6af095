using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SupplierAssure.Core.Identity;

/// <summary>
/// An e-mail domain that a supplier organisation has claimed: people with verified addresses in it belong to that
/// organisation. When <see cref="ProviderName"/> names a configured upstream identity provider, the sign-in page
/// sends those people there (home-realm discovery) and their first federated sign-in may provision an account.
/// </summary>
public sealed class SupplierDomain
{
    public const int DomainMaxLength = 253;
    public const int ProviderNameMaxLength = 32;

    public Guid Id { get; set; }
    public Guid SupplierId { get; set; }

    /// <summary>Lower-case domain without the '@' (e.g. meridian.example); unique across organisations.</summary>
    public required string Domain { get; set; }

    /// <summary>Name of the upstream provider (Federation:Providers:{name}) this domain routes to; null for none.</summary>
    public string? ProviderName { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>The administrator who recorded the claim; null for seeded demo data.</summary>
    public Guid? ClaimedBy { get; set; }
}

internal sealed class SupplierDomainConfiguration : IEntityTypeConfiguration<SupplierDomain>
{
    public void Configure(EntityTypeBuilder<SupplierDomain> builder)
    {
        builder.ToTable("SupplierDomains");
        builder.Property(d => d.Domain).HasMaxLength(SupplierDomain.DomainMaxLength);
        builder.Property(d => d.ProviderName).HasMaxLength(SupplierDomain.ProviderNameMaxLength);
        builder.HasIndex(d => d.Domain).IsUnique();
        builder.HasIndex(d => d.SupplierId);
    }
}
