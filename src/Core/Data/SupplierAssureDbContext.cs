using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.Questionnaires;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tenancy;

namespace SupplierAssure.Core.Data;

/// <summary>
/// The one database of SupplierAssure, provider-agnostic. Each provider has a subclass in its migrations project
/// (SQLite, SQL Server) that carries the provider's conventions and its migration history.
/// </summary>
public abstract class SupplierAssureDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    private TenantScope _tenant = TenantScope.System;
    private bool _seesAllSuppliers = true;
    private Guid _tenantSupplierId = Guid.Empty;

    /// <summary>
    /// Whose supplier-owned rows this context may read. Every supplier-owned entity carries a query filter on it,
    /// so a page that forgets to check still cannot see another organisation's rows.
    /// </summary>
    // Note: a context made straight from the factory (workflows, seeding, the partner gateway) starts with
    // TenantScope.System and sees every supplier; request-scoped contexts in the Portal are narrowed from the user.
    public TenantScope Tenant
    {
        get => _tenant;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _tenant = value;
            _seesAllSuppliers = value.SeesAllSuppliers;
            _tenantSupplierId = value.SupplierId ?? Guid.Empty;
        }
    }

    public DbSet<OperatorOrganisation> OperatorOrganisations => Set<OperatorOrganisation>();
    public DbSet<Supplier> Suppliers => Set<Supplier>();
    public DbSet<QuestionnaireTemplate> QuestionnaireTemplates => Set<QuestionnaireTemplate>();
    public DbSet<TemplateQuestion> TemplateQuestions => Set<TemplateQuestion>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();
    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();
    public DbSet<SharingConsent> SharingConsents => Set<SharingConsent>();
    public DbSet<SeedMarker> SeedMarkers => Set<SeedMarker>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(SupplierAssureDbContext).Assembly);

        // The tenant filter: one place, every supplier-owned entity.
        builder.Entity<Supplier>().HasQueryFilter(s => _seesAllSuppliers || s.Id == _tenantSupplierId);
        builder.Entity<Assessment>().HasQueryFilter(a => _seesAllSuppliers || a.SupplierId == _tenantSupplierId);
        builder.Entity<Answer>().HasQueryFilter(a => _seesAllSuppliers || a.SupplierId == _tenantSupplierId);
        builder.Entity<EvidenceFile>().HasQueryFilter(e => _seesAllSuppliers || e.SupplierId == _tenantSupplierId);
        builder.Entity<SharingConsent>().HasQueryFilter(c => _seesAllSuppliers || c.SupplierId == _tenantSupplierId);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }
}

/// <summary>Marks that a named seed (e.g. the demo data) has been applied, so concurrent hosts seed once.</summary>
public sealed class SeedMarker
{
    public required string Name { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
}
