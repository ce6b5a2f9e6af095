using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>
/// A scoring finding that a clarification answer resolved and a later answer brings back: its corrective action, closed
/// with it, opens again at the stage it had reached and is handed to the remediation workflow again; a finding whose
/// corrective action was verified effective stays closed when the answers still show the gap. Against a migrated
/// SQLite database with the demo data.
/// </summary>
public sealed class ReopenedFindingRemediationTests : IAsyncLifetime
{
    private static readonly Guid Assessment = DemoData.CalderaAssessmentId;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateContext();
        await DemoDataSeeder.SeedAsync(db, TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task FindingBroughtBackByALaterClarification_ReopensItsCaseAtThePlannedStage_VerifiedOneStaysClosed()
    {
        var gaps = Result(("LEAD-01", FindingGrade.MinorNonconformity), ("OPS-01", FindingGrade.MinorNonconformity));
        Guid leadFinding, opsFinding, leadCase, opsCase;
        await using (var db = _database.CreateContext())
        {
            await ScoringFindings.AddMissingAsync(db, Assessment, DemoData.CalderaSupplierId, gaps, _clock.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
            Assert.Equal(2, (await new OpenRemediationsHandler(db, _clock).HandleAsync(Assessment, CancellationToken.None)).Count);
            var cases = await db.Set<RemediationCase>().Where(r => r.AssessmentId == Assessment).ToListAsync();
            var findings = await db.Set<AssessmentFinding>().Where(f => f.AssessmentId == Assessment).ToDictionaryAsync(f => f.Id, f => f.Reference);
            var lead = cases.Single(r => findings[r.FindingId] == "LEAD-01");
            var ops = cases.Single(r => findings[r.FindingId] == "OPS-01");
            (leadFinding, leadCase, opsFinding, opsCase) = (lead.FindingId, lead.Id, ops.FindingId, ops.Id);

            // The supplier planned LEAD-01's action; both cases run in a workflow. OPS-01's action is verified effective
            // (as VerifyRemediationHandler leaves it: case and finding closed together).
            lead.ActionPlan = "Board signs the security policy each January.";
            lead.ActionPlanAt = _clock.GetUtcNow();
            lead.State = RemediationState.ImplementationDue;
            lead.WorkflowInstanceId = "remediation-lead";
            ops.WorkflowInstanceId = "remediation-ops";
            ops.Close(_clock.GetUtcNow());
            ops.VerificationNote = "Seal log checked for four weeks.";
            (await db.Set<AssessmentFinding>().SingleAsync(f => f.Id == opsFinding)).Close(_clock.GetUtcNow(), "Closed when the corrective action was verified effective.");
            await db.SaveChangesAsync();
        }

        // First clarification: the new answer removes LEAD-01's gap; its finding and its case close with the note.
        _clock.Advance(TimeSpan.FromDays(3));
        await using (var db = _database.CreateContext())
        {
            var resolved = await ScoringFindings.CloseResolvedAsync(db, Assessment, Result(), _clock.GetUtcNow(), RescoreResubmissionHandler.ResolvedNote, CancellationToken.None);
            Assert.Equal([leadFinding], resolved.Select(f => f.Id));
            await db.SaveChangesAsync();
            var closed = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == leadCase);
            Assert.Equal(RemediationState.Closed, closed.State);
            Assert.Equal(RescoreResubmissionHandler.ResolvedNote, closed.VerificationNote);
            Assert.Equal(3d, closed.DaysToClose);
        }

        // Second clarification: the answer goes back and both gaps are found again.
        _clock.Advance(TimeSpan.FromDays(2));
        await using (var db = _database.CreateContext())
        {
            Assert.Empty(await ScoringFindings.CloseResolvedAsync(db, Assessment, gaps, _clock.GetUtcNow(), RescoreResubmissionHandler.ResolvedNote, CancellationToken.None));
            Assert.Equal(0, await ScoringFindings.AddMissingAsync(db, Assessment, DemoData.CalderaSupplierId, gaps, _clock.GetUtcNow(), CancellationToken.None));
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateContext())
        {
            var lead = await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == leadFinding);
            Assert.Equal(AssessmentFindingState.Open, lead.State);
            Assert.Null(lead.ClosedAt);
            Assert.Null(lead.ClosingNote);
            var reopened = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == leadCase);
            Assert.Equal(RemediationState.ImplementationDue, reopened.State);
            Assert.Equal("Board signs the security policy each January.", reopened.ActionPlan);
            Assert.Null(reopened.ClosedAt);
            Assert.Null(reopened.DaysToClose);
            Assert.Null(reopened.VerificationNote);
            Assert.Null(reopened.WorkflowInstanceId);
            Assert.Equal(reopened.ImplementationDueAt, reopened.CurrentDueAt);

            // The verified one stays closed, finding and case.
            Assert.Equal(AssessmentFindingState.Closed, (await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == opsFinding)).State);
            var verified = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == opsCase);
            Assert.Equal((RemediationState.Closed, "remediation-ops"), (verified.State, verified.WorkflowInstanceId));

            // The remediation step after the rescoring hands the reopened case (and only it) to a workflow again; no
            // second case is opened for the finding.
            Assert.Equal([leadCase], await new OpenRemediationsHandler(db, _clock).HandleAsync(Assessment, CancellationToken.None));
            Assert.Equal(1, await db.Set<RemediationCase>().CountAsync(r => r.FindingId == leadFinding));
        }
    }

    private static ScoreResult Result(params (string Code, FindingGrade Grade)[] findings) => new(
        "test", 50m, 2, RiskRating.Medium, [], [], 0, findings.Length, [], [], [.. findings.Select(f => new ScoreFinding(f.Code, "5", null, f.Grade, "Below what the tier expects."))], []);
}

/// <summary>The stage a reopened case returns to, without a database.</summary>
public sealed class RemediationCaseReopenTests
{
    [Fact]
    public void Reopen_ReturnsToTheStageTheCaseHadReached()
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        RemediationCase Closed(Action<RemediationCase> progress)
        {
            var c = new RemediationCase { OpenedAt = now, ActionPlanDueAt = now.AddDays(14), ImplementationDueAt = now.AddDays(60), WorkflowInstanceId = "w", EscalatedAt = now };
            progress(c);
            c.VerificationNote = "closed";
            c.Close(now.AddDays(5));
            c.Reopen();
            return c;
        }

        Assert.Equal(RemediationState.ActionPlanDue, Closed(_ => { }).State);
        Assert.Equal(RemediationState.ImplementationDue, Closed(c => c.ActionPlanAt = now).State);
        var implemented = Closed(c => (c.ActionPlanAt, c.ImplementedAt, c.VerificationDueAt) = (now, now.AddDays(3), now.AddDays(30)));
        Assert.Equal(RemediationState.VerificationDue, implemented.State);
        Assert.Equal(now.AddDays(30), implemented.CurrentDueAt);
        Assert.Null(implemented.ClosedAt);
        Assert.Null(implemented.DaysToClose);
        Assert.Null(implemented.EscalatedAt);
        Assert.Null(implemented.WorkflowInstanceId);
    }
}
