using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Status;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tenancy;
using SupplierAssure.Migrations.SqlServer;

namespace SupplierAssure.Core.Tests;

public sealed class DatabaseTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SeedAsync_TwoSeedersAtOnce_SeedExactlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var seeders = Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var db = database.CreateContext();
            await DemoDataSeeder.SeedAsync(db, _clock, CancellationToken.None);
        });
        await Task.WhenAll(seeders);

        await using var check = database.CreateContext();
        Assert.Equal(4, await check.Suppliers.CountAsync()); // two Tier 3, one Tier 1, one Tier 2
        Assert.Equal(1, await check.QuestionnaireTemplates.CountAsync());
        Assert.Equal(4, await check.Assessments.CountAsync());
    }

    [Fact]
    public async Task TenantScope_SupplierUser_SeesOnlyOwnRows()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var seed = database.CreateContext())
        {
            await DemoDataSeeder.SeedAsync(seed, _clock, CancellationToken.None);
        }

        await using var db = database.CreateContext();
        db.Tenant = TenantScope.ForSupplier(DemoData.MeridianSupplierId);
        Assert.Equal([DemoData.MeridianSupplierId], await db.Suppliers.Select(s => s.Id).ToListAsync());
        Assert.Equal([DemoData.MeridianAssessmentId], await db.Assessments.Select(a => a.Id).ToListAsync());
        Assert.Null(await db.Assessments.SingleOrDefaultAsync(a => a.Id == DemoData.CalderaAssessmentId));
        Assert.All(await db.SharingConsents.ToListAsync(), c => Assert.Equal(DemoData.MeridianSupplierId, c.SupplierId));

        db.Tenant = TenantScope.Nobody;
        Assert.Empty(await db.Suppliers.ToListAsync());
        Assert.Empty(await db.Assessments.ToListAsync());

        db.Tenant = TenantScope.Operator;
        Assert.Equal(4, await db.Assessments.CountAsync());
    }

    [Fact]
    public async Task ScoreSubmittedAssessment_Submitted_ScoresRoutesAndAppendsOneFeedRow()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var seed = database.CreateContext())
        {
            await DemoDataSeeder.SeedAsync(seed, _clock, CancellationToken.None);
            var assessment = await seed.Assessments.SingleAsync(a => a.Id == DemoData.MeridianAssessmentId);
            var questions = await seed.TemplateQuestions.Where(q => q.TemplateId == assessment.TemplateId).ToListAsync();
            foreach (var q in questions)
            {
                seed.Answers.Add(new Answer
                {
                    AssessmentId = assessment.Id,
                    SupplierId = assessment.SupplierId,
                    QuestionCode = q.Code,
                    Value = q.AnswerType switch { Questionnaires.AnswerType.Maturity => "4", Questionnaires.AnswerType.Text => "ok", _ => "yes" },
                });
            }

            assessment.State = AssessmentState.Submitted;
            await seed.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var outcome = await new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            Assert.NotNull(outcome);
            Assert.Equal(AssessmentState.Approved, outcome.State);
        }

        await using (var db = database.CreateContext())
        {
            // Running the step again (a retry after a crash) changes nothing and adds no second feed row.
            Assert.Null(await new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.MeridianAssessmentId, CancellationToken.None));
        }

        await using var check = database.CreateContext();
        var supplier = await check.Suppliers.SingleAsync(s => s.Id == DemoData.MeridianSupplierId);
        var feed = await check.StatusChanges.Where(c => c.SupplierId == supplier.Id).ToListAsync();
        var change = Assert.Single(feed);
        Assert.Equal(AssuranceStatus.Approved, supplier.AssuranceStatus);
        Assert.Equal(AssuranceStatus.Approved, change.NewStatus);
        Assert.Equal(change.Sequence, supplier.LastStatusSequence);
        Assert.True(supplier.OverallScore > 90m);
        Assert.Equal(_clock.GetUtcNow().AddYears(1), supplier.ValidUntil);
    }

    [Fact]
    public async Task Migrations_Sqlite_HaveNoPendingModelChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model has changes without a migration: run scripts/add-migration.sh <Name>.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void Migrations_SqlServer_HaveNoPendingModelChanges()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "The SQL Server model has changes without a migration: run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public void Migrations_SqlServer_ProduceAnIdempotentScriptWithoutAServer()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE TABLE [Suppliers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [WorkflowInstances]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [OpenIddictApplications]", script, StringComparison.Ordinal);
        Assert.Contains("IF NOT EXISTS", script, StringComparison.Ordinal);
    }
}
