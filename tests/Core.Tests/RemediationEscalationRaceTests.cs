using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Scoring;
using SupplierAssure.Core.SecondPartyAudits;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tests;

/// <summary>
/// The deadline check escalates a late stage exactly when the supplier (or the verifier) is most likely to be acting
/// on it. Its escalation mark is saved between the person's read of the case and their save (the person's copy is
/// read first and kept by a tracking query, as a slow request would hold it): the step is taken all the same, with the
/// escalation's notification kept; a colleague's step made on the same stale copy is refused with where the case
/// now stands, and writes nothing. Against a migrated SQLite database with the demo data.
/// The verification stage also closes the finding, so its first, refused attempt has the open-findings counter open a
/// transaction: the retry must not be left inside it.
/// </summary>
public sealed class RemediationEscalationRaceTests : IAsyncLifetime
{
    private static readonly Guid Assessment = DemoData.CalderaAssessmentId;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordedSignals _signals = new();
    private TestDatabase _database = null!;
    private Guid _case;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var db = _database.CreateContext();
        await DemoDataSeeder.SeedAsync(db, TimeProvider.System, CancellationToken.None);
        var gaps = new ScoreResult("test", 50m, 2, RiskRating.Medium, [], [], 0, 1, [], [],
            [new ScoreFinding("OPS-01", "8", null, FindingGrade.MinorNonconformity, "Seals are not checked at loading.")], []);
        await ScoringFindings.AddMissingAsync(db, Assessment, DemoData.CalderaSupplierId, gaps, _clock.GetUtcNow(), CancellationToken.None);
        await db.SaveChangesAsync();
        _case = Assert.Single(await new OpenRemediationsHandler(db, _clock).HandleAsync(Assessment, CancellationToken.None));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task EscalationSavedWhileEachStageIsActedOn_DoesNotTurnTheStepAway_AColleaguesStaleStepIsRefused()
    {
        // Action plan: due in 30 days (minor); escalated a day after.
        _clock.Advance(TimeSpan.FromDays(32));
        await using (var supplier = _database.CreateContext())
        await using (var colleague = _database.CreateContext())
        {
            await ReadAsync(supplier);
            await ReadAsync(colleague);
            await EscalateAsync("action-plan");

            var plan = await new SubmitActionPlanHandler(supplier, _signals, _clock).HandleAsync(new SubmitActionPlanRequest(
                _case, Guid.NewGuid(), "Seal numbers are checked against the manifest at every loading.",
                new CapaPlan(["The loading checklist had no seal step."], "Trailers loaded last week were re-checked.", "Warehouse lead")), CancellationToken.None);
            Assert.True(plan.Succeeded, string.Join(" ", plan.Errors.SelectMany(e => e.Value)));

            var late = await new SubmitActionPlanHandler(colleague, _signals, _clock).HandleAsync(new SubmitActionPlanRequest(
                _case, Guid.NewGuid(), "A different plan typed at the same time.",
                new CapaPlan(["Another why."], "Another correction.", "Someone else")), CancellationToken.None);
            Assert.Equal(OutcomeStatus.Conflict, late.Status);
            Assert.Equal(RemediationText.MovedOn(RemediationState.ImplementationDue), Assert.Single(late.Errors[string.Empty]));
        }

        var planned = await StoredAsync();
        Assert.Equal(RemediationState.ImplementationDue, planned.State);
        Assert.Equal("Seal numbers are checked against the manifest at every loading.", planned.ActionPlan);
        Assert.Equal("Warehouse lead", planned.Owner);
        Assert.Null(planned.EscalatedAt);

        // Implementation: due 90 days after the plan; the evidence file is saved once, with the step.
        _clock.Advance(TimeSpan.FromDays(92));
        var file = new AuditFile
        {
            Id = Guid.NewGuid(), SupplierId = DemoData.CalderaSupplierId, FileName = "seal-log.pdf", ContentType = "application/pdf", Length = 10,
            Sha256 = new string('b', 64), StorageKey = Guid.NewGuid().ToString("N"), UploadedBy = Guid.NewGuid(), UploadedAt = _clock.GetUtcNow(),
        };
        await using (var supplier = _database.CreateContext())
        {
            await ReadAsync(supplier);
            await EscalateAsync("implementation");
            var done = await new RecordImplementationHandler(supplier, _signals, _clock).HandleAsync(
                new RecordImplementationRequest(_case, Guid.NewGuid(), "Checklist changed; four weeks of seal logs attached.", [file]), CancellationToken.None);
            Assert.True(done.Succeeded, string.Join(" ", done.Errors.SelectMany(e => e.Value)));
        }

        var implemented = await StoredAsync();
        Assert.Equal(RemediationState.VerificationDue, implemented.State);
        Assert.Null(implemented.EscalatedAt);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal([file.Id], await db.Set<AuditFile>().Where(f => f.RemediationId == _case).Select(f => f.Id).ToListAsync());
        }

        // Verification: due 21 days after the implementation; the verifier's copy of the finding is stale too.
        _clock.Advance(TimeSpan.FromDays(23));
        await using (var verifier = _database.CreateContext())
        {
            var stale = await ReadAsync(verifier);
            await verifier.Set<AssessmentFinding>().SingleAsync(f => f.Id == stale.FindingId);
            await EscalateAsync("verification");
            var verified = await new VerifyRemediationHandler(verifier, _signals, _clock).HandleAsync(
                new VerifyRemediationRequest(_case, Guid.NewGuid(), true, "Seal logs for four weeks match the manifests."), CancellationToken.None);
            Assert.True(verified.Succeeded, string.Join(" ", verified.Errors.SelectMany(e => e.Value)));

            // The refused first attempt closed the finding too; the transaction the open-findings counter opened for
            // it is gone, so the second attempt committed on its own (it once ran inside the first and was lost).
            Assert.Null(verifier.Database.CurrentTransaction);
        }

        var closed = await StoredAsync();
        Assert.Equal(RemediationState.Closed, closed.State);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(1, await db.Set<RemediationVerification>().CountAsync(v => v.RemediationId == _case));
            Assert.Equal(AssessmentFindingState.Closed, await db.Set<AssessmentFinding>().Where(f => f.Id == closed.FindingId).Select(f => f.State).SingleAsync());
            // Each late stage's escalation stayed on record, once.
            var escalations = await db.Set<Notification>().Where(n => n.Kind == NotificationKind.Escalation && n.Key.StartsWith($"remediation:{_case:N}:"))
                .Select(n => n.Key).ToListAsync();
            Assert.Equal(3, escalations.Count);
        }

        // The workflow heard of each step once, and never of the refused one.
        Assert.Equal(3, _signals.Count);
    }

    // A tracking read: the context keeps this copy, as a request that read the case before the escalation would.
    private async Task<RemediationCase> ReadAsync(Data.SupplierAssureDbContext db) =>
        await db.Set<RemediationCase>().SingleAsync(r => r.Id == _case);

    private async Task EscalateAsync(string stage)
    {
        await using var db = _database.CreateContext();
        var check = await new RemediationDeadlines(db, _clock).CheckAsync(_case, null, CancellationToken.None);
        Assert.EndsWith(":escalation", check.Notified);
        Assert.Contains($":{stage}:", check.Notified, StringComparison.Ordinal);
        Assert.NotNull((await StoredAsync()).EscalatedAt);
    }

    private async Task<RemediationCase> StoredAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == _case);
    }

    private sealed class RecordedSignals : IRemediationSignals
    {
        public int Count { get; private set; }

        public Task CaseChangedAsync(RemediationCase remediation, CancellationToken cancellationToken)
        {
            Count++;
            return Task.CompletedTask;
        }
    }
}
