using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Status;
using SupplierAssure.Partner.V1;
using static SupplierAssure.PartnerGateway.Tests.GatewayFixture;
using FindingGrade = SupplierAssure.Core.Incidents.FindingGrade;
using IncidentCategory = SupplierAssure.Core.Incidents.IncidentCategory;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>
/// The open-finding counts a status look-up reads from one row (Core's SupplierOpenFindings) stay equal to a count
/// of the findings themselves through every kind of save: open, review, close, reopen, regrade, delete, a failed
/// save and a caller's rolled-back transaction. Each step checks the row against a recount and against the wire.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenFindingCountsTests(GatewayFixture fixture)
{
    private static readonly Guid Meridian = DemoData.MeridianSupplierId;

    [Fact]
    public async Task Counts_FollowFindingsThroughOpenCloseReopenRegradeDeleteAndRollback()
    {
        var start = await CountsAsync();
        var incidentId = Guid.NewGuid();
        var assessmentFindingId = Guid.NewGuid();
        try
        {
            // Open: an incident finding (critical) and an assessment finding (major nonconformity), one save.
            await using (var db = fixture.Portal.CreateDbContext())
            {
                db.Findings.Add(new Finding
                {
                    Id = incidentId, SupplierId = Meridian, Category = IncidentCategory.Theft, Grade = FindingGrade.Critical,
                    Summary = "Pallet missing at the cross-dock.", ReportedBy = "counts-test", OccurredAt = DateTimeOffset.UtcNow, ReportedAt = DateTimeOffset.UtcNow,
                });
                db.Set<AssessmentFinding>().Add(new AssessmentFinding
                {
                    Id = assessmentFindingId, SupplierId = Meridian, AssessmentId = DemoData.MeridianAssessmentId, Source = FindingSource.Review,
                    Grade = NonconformityGrade.MajorNonconformity, Summary = "Seal log not kept.", RaisedAt = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }

            await AssertCountsAsync(start with { Critical = start.Critical + 1, Major = start.Major + 1 });

            // Under review is still open; closed is not.
            await UpdateIncidentAsync(incidentId, f => f.State = FindingState.UnderReview);
            await AssertCountsAsync(start with { Critical = start.Critical + 1, Major = start.Major + 1 });
            await UpdateIncidentAsync(incidentId, f => f.State = FindingState.Closed);
            await UpdateAssessmentFindingAsync(assessmentFindingId, f => f.State = AssessmentFindingState.Closed);
            await AssertCountsAsync(start);

            // Reopen both; the synchronous SaveChanges path too.
            await UpdateIncidentAsync(incidentId, f => f.State = FindingState.Open);
            await using (var db = fixture.Portal.CreateDbContext())
            {
                var finding = await db.Set<AssessmentFinding>().SingleAsync(f => f.Id == assessmentFindingId);
                finding.State = AssessmentFindingState.Open;
                db.SaveChanges();
            }

            await AssertCountsAsync(start with { Critical = start.Critical + 1, Major = start.Major + 1 });

            // Regrade: the incident moves from critical to minor, the nonconformity to an opportunity for improvement.
            await UpdateIncidentAsync(incidentId, f => f.Grade = FindingGrade.Minor);
            await UpdateAssessmentFindingAsync(assessmentFindingId, f => f.Grade = NonconformityGrade.OpportunityForImprovement);
            await AssertCountsAsync(start with { Minor = start.Minor + 1, Improvements = start.Improvements + 1 });

            // A save that fails (a finding of a supplier that does not exist) changes nothing, counts included.
            await using (var db = fixture.Portal.CreateDbContext())
            {
                (await db.Findings.SingleAsync(f => f.Id == incidentId)).State = FindingState.Closed;
                db.Findings.Add(new Finding
                {
                    Id = Guid.NewGuid(), SupplierId = Guid.NewGuid(), Category = IncidentCategory.Other, Grade = FindingGrade.Major,
                    Summary = "Orphan.", ReportedBy = "counts-test", OccurredAt = DateTimeOffset.UtcNow, ReportedAt = DateTimeOffset.UtcNow,
                });
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            }

            await AssertCountsAsync(start with { Minor = start.Minor + 1, Improvements = start.Improvements + 1 });

            // Inside a caller's transaction the counts move with it, and go back when it is rolled back.
            await using (var db = fixture.Portal.CreateDbContext())
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                (await db.Findings.SingleAsync(f => f.Id == incidentId)).State = FindingState.Closed;
                await db.SaveChangesAsync();
                var inside = await db.Set<SupplierOpenFindings>().AsNoTracking().SingleAsync(c => c.SupplierId == Meridian);
                Assert.Equal(start.Minor, inside.Minor);
                await transaction.RollbackAsync();
            }

            await AssertCountsAsync(start with { Minor = start.Minor + 1, Improvements = start.Improvements + 1 });
        }
        finally
        {
            // Delete: the supplier is back where it started (and the other tests of the collection see no change).
            await using var db = fixture.Portal.CreateDbContext();
            db.Findings.RemoveRange(db.Findings.Where(f => f.Id == incidentId));
            db.Set<AssessmentFinding>().RemoveRange(db.Set<AssessmentFinding>().Where(f => f.Id == assessmentFindingId));
            await db.SaveChangesAsync();
        }

        await AssertCountsAsync(start);
    }

    private async Task UpdateIncidentAsync(Guid id, Action<Finding> change)
    {
        await using var db = fixture.Portal.CreateDbContext();
        change(await db.Findings.SingleAsync(f => f.Id == id));
        await db.SaveChangesAsync();
    }

    private async Task UpdateAssessmentFindingAsync(Guid id, Action<AssessmentFinding> change)
    {
        await using var db = fixture.Portal.CreateDbContext();
        change(await db.Set<AssessmentFinding>().SingleAsync(f => f.Id == id));
        await db.SaveChangesAsync();
    }

    // The row, checked against a count of the findings themselves (the rules the look-up used to apply per call).
    private async Task<Counts> CountsAsync()
    {
        await using var db = fixture.Portal.CreateDbContext();
        var row = await db.Set<SupplierOpenFindings>().AsNoTracking().SingleOrDefaultAsync(c => c.SupplierId == Meridian);
        var stored = row is null ? new Counts(0, 0, 0, 0) : new Counts(row.Critical, row.Major, row.Minor, row.Improvements);
        Assert.Equal(await RecountAsync(db), stored);
        return stored;
    }

    private async Task AssertCountsAsync(Counts expected)
    {
        Assert.Equal(expected, await CountsAsync());
        var status = await fixture.Client.GetSecurityStatusAsync(Lookup(IdentifierType.Lei, DemoData.MeridianLei), Bearer(fixture.StatusReadToken));
        Assert.Equal(new OpenFindingCounts
        {
            Critical = expected.Critical, Major = expected.Major, Minor = expected.Minor, OpportunitiesForImprovement = expected.Improvements,
        }, status.OpenFindings);
    }

    private static async Task<Counts> RecountAsync(SupplierAssureDbContext db)
    {
        var incidents = await db.Findings.Where(f => f.SupplierId == Meridian && f.State != FindingState.Closed)
            .Select(f => f.Grade).ToListAsync();
        var assessment = await db.Set<AssessmentFinding>().Where(f => f.SupplierId == Meridian && f.State == AssessmentFindingState.Open)
            .Select(f => f.Grade).ToListAsync();
        return new Counts(
            incidents.Count(g => g == FindingGrade.Critical),
            incidents.Count(g => g == FindingGrade.Major) + assessment.Count(g => g == NonconformityGrade.MajorNonconformity),
            incidents.Count(g => g == FindingGrade.Minor) + assessment.Count(g => g == NonconformityGrade.MinorNonconformity),
            assessment.Count(g => g == NonconformityGrade.OpportunityForImprovement));
    }

    private sealed record Counts(int Critical, int Major, int Minor, int Improvements);
}
