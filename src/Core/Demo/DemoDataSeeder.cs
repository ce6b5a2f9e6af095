using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Demo;

/// <summary>
/// Seeds the demo organisations, the question bank as a published template and its issue to the demo suppliers at
/// Tier 3 (Meridian, Caldera), Tier 1 (Northgate) and Tier 2 (Oakridge), each getting the depth its tier decides. Runs in one
/// immediate (writer-locking) transaction guarded by a <see cref="SeedMarker"/>, so two hosts starting at once
/// against one database seed exactly once.
/// </summary>
public static class DemoDataSeeder
{
    public static async Task SeedAsync(SupplierAssureDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        await SeedOnceAsync(db, DemoData.SeedName, clock, async () =>
        {
            var now = clock.GetUtcNow();
            db.OperatorOrganisations.Add(new OperatorOrganisation { Id = DemoData.OperatorId, Name = "Harbourline Retail Group" });

            var template = QuestionBankLoader.LoadBank();
            template.Id = Guid.NewGuid();
            template.PublishedAt = now;
            db.QuestionnaireTemplates.Add(template);

            var meridian = new Supplier
            {
                Id = DemoData.MeridianSupplierId,
                LegalName = "Meridian Freight Services Ltd",
                CountryCode = "GB",
                Lei = DemoData.MeridianLei,
                Duns = "123456789",
                Eori = "GB123456789000",
                Vat = "GB123456789",
                Tier = SupplierTier.Tier3Standard,
                Lifecycle = SupplierLifecycle.Active,
                AssuranceStatus = AssuranceStatus.AssessmentInProgress,
            };
            var caldera = new Supplier
            {
                Id = DemoData.CalderaSupplierId,
                LegalName = "Caldera Components GmbH",
                CountryCode = "DE",
                Lei = DemoData.CalderaLei,
                Eori = "DE987654321000",
                Vat = "DE987654321",
                Tier = SupplierTier.Tier3Standard,
                Lifecycle = SupplierLifecycle.Active,
                AssuranceStatus = AssuranceStatus.AssessmentInProgress,
            };
            var northgate = new Supplier
            {
                Id = DemoData.NorthgateSupplierId,
                LegalName = "Northgate Cross-Dock B.V.",
                CountryCode = "NL",
                Lei = DemoData.NorthgateLei,
                Eori = "NL812345678",
                Tier = SupplierTier.Tier3Standard,
                Roles = SupplyChainRoles.Carrier | SupplyChainRoles.Warehouse | SupplyChainRoles.Logistics,
                Lifecycle = SupplierLifecycle.Active,
                AssuranceStatus = AssuranceStatus.AssessmentInProgress,
            };
            var oakridge = new Supplier
            {
                Id = DemoData.OakridgeSupplierId,
                LegalName = "Oakridge Bonded Storage Ltd",
                CountryCode = "IE",
                Lei = DemoData.OakridgeLei,
                Tier = SupplierTier.Tier3Standard,
                Roles = SupplyChainRoles.Warehouse,
                Lifecycle = SupplierLifecycle.Active,
                AssuranceStatus = AssuranceStatus.AssessmentInProgress,
            };
            db.Suppliers.AddRange(meridian, caldera, northgate, oakridge);
            await db.SaveChangesAsync(cancellationToken);

            // Northgate and Oakridge are classified the way a procurement user would: materiality first, tier from it.
            var classify = new ClassifySupplierHandler(db, clock);
            await classify.AssessAsync(new AssessMaterialityRequest(northgate.Id,
                new MaterialityFactors(FactorLevel.High, FactorLevel.Severe, FactorLevel.High, FactorLevel.Moderate, FactorLevel.High, SpecialCargo.HighValue), null, AcceptProposal: true), cancellationToken);
            await classify.AssessAsync(new AssessMaterialityRequest(oakridge.Id,
                new MaterialityFactors(FactorLevel.Moderate, FactorLevel.Moderate, FactorLevel.High, FactorLevel.Moderate, FactorLevel.Negligible, SpecialCargo.None), null, AcceptProposal: true), cancellationToken);

            var due = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30);
            db.Assessments.AddRange(
                new Assessment { Id = DemoData.MeridianAssessmentId, SupplierId = meridian.Id, TemplateId = template.Id, TierAtIssue = meridian.Tier, DueDate = due, IssuedAt = now },
                new Assessment { Id = DemoData.CalderaAssessmentId, SupplierId = caldera.Id, TemplateId = template.Id, TierAtIssue = caldera.Tier, DueDate = due, IssuedAt = now },
                new Assessment { Id = DemoData.NorthgateAssessmentId, SupplierId = northgate.Id, TemplateId = template.Id, TierAtIssue = northgate.Tier, DueDate = due, IssuedAt = now },
                new Assessment { Id = DemoData.OakridgeAssessmentId, SupplierId = oakridge.Id, TemplateId = template.Id, TierAtIssue = oakridge.Tier, DueDate = due, IssuedAt = now });

            db.SharingConsents.Add(new SharingConsent
            {
                Id = Guid.NewGuid(),
                SupplierId = meridian.Id,
                PartnerClientId = DemoData.PartnerClientId,
                Scope = SharingConsent.StatusScope,
                GrantedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

        // Meridian claims its e-mail domain, routed to the provider named "meridian"; the route takes effect only
        // where Federation:Providers:meridian is configured, elsewhere Meridian's people keep the password form.
        await SeedOnceAsync(db, "demo-domains-v1", clock, async () =>
        {
            db.Add(new Identity.SupplierDomain
            {
                Id = Guid.NewGuid(),
                SupplierId = DemoData.MeridianSupplierId,
                Domain = "meridian.example",
                ProviderName = "meridian",
                ClaimedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

        // Northgate claims its domain, routed to "northgate": scripts/run.sh starts a demo provider under that name
        // (scripts/demo-idp), so the demo shows home-realm discovery; elsewhere Northgate keeps the password form.
        await SeedOnceAsync(db, "demo-domains-v2", clock, async () =>
        {
            if (!await db.Set<Identity.SupplierDomain>().AnyAsync(d => d.Domain == DemoData.NorthgateDomain, cancellationToken))
            {
                db.Add(new Identity.SupplierDomain
                {
                    Id = Guid.NewGuid(),
                    SupplierId = DemoData.NorthgateSupplierId,
                    Domain = DemoData.NorthgateDomain,
                    ProviderName = DemoData.NorthgateProviderName,
                    ClaimedAt = clock.GetUtcNow(),
                });
                await db.SaveChangesAsync(cancellationToken);
            }
        }, cancellationToken);

        // The demo suppliers' sites, so the supplier pages and the audit form show recorded sites.
        await SeedOnceAsync(db, "demo-sites-v1", clock, async () =>
        {
            db.AddRange(DemoSites.All(clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="seed"/> once per database under <paramref name="name"/>, inside one transaction that
    /// takes the writer lock first (SQLite BEGIN IMMEDIATE), so a concurrent host waits and then sees the marker.
    /// </summary>
    public static async Task SeedOnceAsync(SupplierAssureDbContext db, string name, TimeProvider clock, Func<Task> seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(seed);
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        if (db.Database.IsSqlServer())
        {
            // Serialise seeders on SQL Server as BEGIN IMMEDIATE does on SQLite.
            await db.Database.ExecuteSqlRawAsync("EXEC sp_getapplock @Resource = 'SupplierAssure.Seed', @LockMode = 'Exclusive', @LockOwner = 'Transaction'", cancellationToken);
        }

        if (await db.SeedMarkers.AnyAsync(m => m.Name == name, cancellationToken))
        {
            return;
        }

        await seed();
        db.SeedMarkers.Add(new SeedMarker { Name = name, AppliedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
