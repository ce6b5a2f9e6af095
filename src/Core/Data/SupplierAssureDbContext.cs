using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Incidents;
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
    private TenantScope? _tenant;

    /// <summary>
    /// Whose supplier-owned rows this context may read. Every supplier-owned entity carries a query filter on it,
    /// so a page that forgets to check still cannot see another organisation's rows. The scope is read when each
    /// query runs (not when the context is made), because a request's context can be created before its user is
    /// authenticated.
    /// </summary>
    // Note: a context made straight from the factory (workflows, seeding, the partner gateway) has no accessor and
    // so TenantScope.System, which sees every supplier; request-scoped contexts in the Portal follow the user.
    public TenantScope Tenant
    {
        get => _tenant ?? TenantAccessor?.Current ?? TenantScope.System;
        set => _tenant = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Where the request's scope comes from when <see cref="Tenant"/> has not been set explicitly.</summary>
    public ITenantScopeAccessor? TenantAccessor { get; set; }

    private bool SeesAllSuppliers => Tenant.SeesAllSuppliers;

    private Guid TenantSupplierId => Tenant.SupplierId ?? Guid.Empty;

    public DbSet<OperatorOrganisation> OperatorOrganisations => Set<OperatorOrganisation>();
    public DbSet<Supplier> Suppliers => Set<Supplier>();
    public DbSet<QuestionnaireTemplate> QuestionnaireTemplates => Set<QuestionnaireTemplate>();
    public DbSet<TemplateQuestion> TemplateQuestions => Set<TemplateQuestion>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<Answer> Answers => Set<Answer>();
    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();
    public DbSet<Evidence.EvidenceDocument> EvidenceDocuments => Set<Evidence.EvidenceDocument>();
    public DbSet<Evidence.EvidenceVersion> EvidenceVersions => Set<Evidence.EvidenceVersion>();
    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();
    public DbSet<SharingConsent> SharingConsents => Set<SharingConsent>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<PartnerAccess> PartnerAccesses => Set<PartnerAccess>();
    public DbSet<PartnerOrganisation> PartnerOrganisations => Set<PartnerOrganisation>();
    public DbSet<PartnerClient> PartnerClients => Set<PartnerClient>();
    public DbSet<SeedMarker> SeedMarkers => Set<SeedMarker>();
    public DbSet<Tiering.MaterialityAssessment> MaterialityAssessments => Set<Tiering.MaterialityAssessment>();
    public DbSet<Tiering.TierDecision> TierDecisions => Set<Tiering.TierDecision>();
    public DbSet<Tiering.TierPolicyVersion> TierPolicyVersions => Set<Tiering.TierPolicyVersion>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        base.OnConfiguring(optionsBuilder);
        // Every save that touches a finding recounts its supplier's open findings (Status/OpenFindingsCounter.cs).
        optionsBuilder.AddInterceptors(OpenFindingsCounter.Instance);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(SupplierAssureDbContext).Assembly);

        // The tenant filter: one place, every supplier-owned entity.
        builder.Entity<Supplier>().HasQueryFilter(s => SeesAllSuppliers || s.Id == TenantSupplierId);
        builder.Entity<SupplierSite>().HasQueryFilter(s => SeesAllSuppliers || s.SupplierId == TenantSupplierId);
        builder.Entity<Assessment>().HasQueryFilter(a => SeesAllSuppliers || a.SupplierId == TenantSupplierId);
        builder.Entity<Answer>().HasQueryFilter(a => SeesAllSuppliers || a.SupplierId == TenantSupplierId);
        builder.Entity<EvidenceFile>().HasQueryFilter(e => SeesAllSuppliers || e.SupplierId == TenantSupplierId);
        builder.Entity<Evidence.EvidenceDocument>().HasQueryFilter(d => SeesAllSuppliers || d.SupplierId == TenantSupplierId);
        builder.Entity<Evidence.EvidenceVersion>().HasQueryFilter(v => SeesAllSuppliers || v.SupplierId == TenantSupplierId);
        builder.Entity<SharingConsent>().HasQueryFilter(c => SeesAllSuppliers || c.SupplierId == TenantSupplierId);
        builder.Entity<Credential>().HasQueryFilter(c => SeesAllSuppliers || c.SupplierId == TenantSupplierId);
        builder.Entity<Finding>().HasQueryFilter(f => SeesAllSuppliers || f.SupplierId == TenantSupplierId);
        builder.Entity<PartnerAccess>().HasQueryFilter(a => SeesAllSuppliers || a.SupplierId == TenantSupplierId);
        builder.Entity<Tiering.MaterialityAssessment>().HasQueryFilter(m => SeesAllSuppliers || m.SupplierId == TenantSupplierId);
        builder.Entity<Tiering.TierDecision>().HasQueryFilter(d => SeesAllSuppliers || d.SupplierId == TenantSupplierId);
        builder.Entity<Findings.AssessmentFinding>().HasQueryFilter(f => SeesAllSuppliers || f.SupplierId == TenantSupplierId);
        builder.Entity<Reviews.ReviewDecision>().HasQueryFilter(d => SeesAllSuppliers || d.SupplierId == TenantSupplierId);
        builder.Entity<Reviews.ReviewComment>().HasQueryFilter(c => SeesAllSuppliers || c.SupplierId == TenantSupplierId);
        builder.Entity<Delegation.SectionAssignment>().HasQueryFilter(a => SeesAllSuppliers || a.SupplierId == TenantSupplierId);
        builder.Entity<Reviews.ResidualRiskAcceptance>().HasQueryFilter(r => SeesAllSuppliers || r.SupplierId == TenantSupplierId);
        builder.Entity<Remediation.RemediationCase>().HasQueryFilter(r => SeesAllSuppliers || r.SupplierId == TenantSupplierId);
        builder.Entity<Kpis.SupplierClauseMaturity>().HasQueryFilter(m => SeesAllSuppliers || m.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.SupplierAudit>().HasQueryFilter(a => SeesAllSuppliers || a.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.AuditTeamMember>().HasQueryFilter(m => SeesAllSuppliers || m.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.AuditSlot>().HasQueryFilter(s => SeesAllSuppliers || s.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.SupplierBlackout>().HasQueryFilter(b => SeesAllSuppliers || b.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.AuditStep>().HasQueryFilter(s => SeesAllSuppliers || s.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.AuditReport>().HasQueryFilter(r => SeesAllSuppliers || r.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.EvidenceRequest>().HasQueryFilter(r => SeesAllSuppliers || r.SupplierId == TenantSupplierId);
        builder.Entity<SecondPartyAudits.AuditFile>().HasQueryFilter(f => SeesAllSuppliers || f.SupplierId == TenantSupplierId);
        builder.Entity<Remediation.RemediationVerification>().HasQueryFilter(v => SeesAllSuppliers || v.SupplierId == TenantSupplierId);
        // An audit's findings reach the supplier only once the closing meeting released them.
        builder.Entity<SecondPartyAudits.AuditFinding>().HasQueryFilter(f => SeesAllSuppliers || (f.SupplierId == TenantSupplierId && f.ReleasedAt != null));
        // A supplier sees the notifications addressed to its organisation, never those to operator staff about it.
        builder.Entity<Notifications.Notification>().HasQueryFilter(n => SeesAllSuppliers || n.AudienceSupplierId == TenantSupplierId);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateConcurrencyException)
        {
            OpenFindingsCounter.ConcurrencyFailedAsync(this).GetAwaiter().GetResult();
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // EF tells interceptors of a concurrency failure only as "throwing", mid-batch, never as a failed save:
            // the open-findings counter's transaction is rolled back here, once EF has unwound, or every later save
            // of this context would run inside it and be lost when the context is disposed.
            await OpenFindingsCounter.ConcurrencyFailedAsync(this);
            throw;
        }
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
