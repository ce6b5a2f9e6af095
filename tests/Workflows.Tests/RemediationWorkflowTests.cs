using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Persistence;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Findings to remediation on the real engine under a moved clock: an audit's major nonconformity opens a remediation
/// workflow that reminds before its due date, escalates once when late (also across a host restart), and closes
/// through plan, implementation and verification; then the approval waits the tier's cadence and issues the
/// reassessment.
/// </summary>
public sealed class RemediationWorkflowTests : IAsyncLifetime
{
    private static readonly Guid Reviewer = Guid.Parse("7d2f0c3b-1a2d-4c5e-9f60-7a8b9c0000bb");
    // Generous: the shared build machine runs many test hosts at once; the waits end as soon as the condition holds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly LogSink _logs = new();

    // The first host is stopped while its engine may be mid-poll; WorkflowCore logs the cancelled work as an error
    // or its poll timer into disposed services (shutdown noise, see docs/workflows.md), so its log is checked for anything else.
    private readonly LogSink _firstLogs = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AuditMajorFinding_RemindsEscalatesOnceAcrossRestart_ClosesThenReassessesOnTierCadence()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.MeridianAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier1Critical));
            await db.Suppliers.Where(s => s.Id == DemoData.MeridianSupplierId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, SupplierTier.Tier1Critical));
        }

        RemediationCase remediation;
        string reviewInstance;
        using (var first = Build(_firstLogs))
        {
            await first.StartAsync();
            await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.MeridianAssessmentId);
            reviewInstance = await first.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.MeridianAssessmentId, CancellationToken.None);
            await WaitUntilAsync(async db => await db.Assessments.AnyAsync(a => a.Id == DemoData.MeridianAssessmentId && a.State == AssessmentState.Audit)
                && await db.Set<PersistedSubscription>().AnyAsync(s => s.EventName == ReviewEvents.AuditCompleted), "the review waits for the audit");

            await using (var db = _database.CreateContext())
            {
                var audit = await new CompleteAuditHandler(db, first.Services.GetRequiredService<IReviewSignals>(), _clock).HandleAsync(new CompleteAuditRequest(
                    DemoData.MeridianAssessmentId, Reviewer, "Gate log missing for two weeks.",
                    [new AuditFindingInput(NonconformityGrade.MajorNonconformity, "8", "Vehicle gate log not kept."),
                     new AuditFindingInput(NonconformityGrade.OpportunityForImprovement, "9", "Seal audit could be sampled weekly.")]), CancellationToken.None);
                Assert.True(audit.Succeeded);
            }

            remediation = await WaitForCaseAsync(r => r.WorkflowInstanceId != null && r.Grade == NonconformityGrade.MajorNonconformity);
            Assert.Equal(RemediationState.ActionPlanDue, remediation.State);
            // Major: action plan due in 14 days under the shipped policy (version 0); the OFI opens no case.
            Assert.Equal(_clock.GetUtcNow().AddDays(14), remediation.ActionPlanDueAt, TimeSpan.FromSeconds(1));
            await using (var db = _database.CreateContext())
            {
                // Full marks with evidence raise no scoring finding; the OFI opens no case: one case, the audit's major.
                var opened = await db.Set<AssessmentFinding>().AsNoTracking().Where(f => db.Set<RemediationCase>().Any(r => r.FindingId == f.Id)).Select(f => f.Summary).ToListAsync();
                Assert.True(opened.Count == 1, string.Join(" | ", opened));
            }

            await WaitForSleepingStepAsync(first, remediation.WorkflowInstanceId!, "action-plan-due");
            Assert.Empty(await NotificationsAsync(remediation.Id));

            // Six days in nothing is due yet; at seven days before the due date the first reminder goes out.
            // (The step has looked and gone back to sleep before the clock moves on: a sleep's end is set from the clock
            // when the step returns.)
            _clock.Advance(TimeSpan.FromDays(6));
            await WaitForSleepingStepAsync(first, remediation.WorkflowInstanceId!, "action-plan-due", after: _clock.GetUtcNow().UtcDateTime);
            Assert.Empty(await NotificationsAsync(remediation.Id));
            _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            var reminder = Assert.Single(await WaitForNotificationsAsync(remediation.Id, 1));
            Assert.Equal(NotificationKind.Reminder, reminder.Kind);
            Assert.Equal(DemoData.MeridianSupplierId, reminder.AudienceSupplierId);
            Assert.EndsWith(":reminder-7d", reminder.Key, StringComparison.Ordinal);

            // The 1-day reminder at its moment; a day past the due date (the policy's escalation delay) procurement
            // hears of it, once.
            await WaitForSleepingStepAsync(first, remediation.WorkflowInstanceId!, "action-plan-due", after: _clock.GetUtcNow().UtcDateTime);
            _clock.Advance(TimeSpan.FromDays(6));
            await WaitForNotificationsAsync(remediation.Id, 2);
            await WaitForSleepingStepAsync(first, remediation.WorkflowInstanceId!, "action-plan-due", after: _clock.GetUtcNow().UtcDateTime);
            _clock.Advance(TimeSpan.FromDays(2));
            var notes = await WaitForNotificationsAsync(remediation.Id, 3);
            Assert.Equal(["reminder-7d", "reminder-1d", "escalation"], notes.Select(n => n.Key[(n.Key.LastIndexOf(':') + 1)..]));
            var escalation = notes[2];
            Assert.Equal(Roles.ProcurementManager, escalation.AudienceRole);
            Assert.Null(escalation.AudienceSupplierId);
            await first.StopAsync();
        }

        // A new host on the same database, hours later: the sleeping step resumes and sends nothing twice.
        using var second = Build();
        await second.StartAsync();
        _clock.Advance(TimeSpan.FromHours(3));
        await WaitForSleepingStepAsync(second, remediation.WorkflowInstanceId!, "action-plan-due", after: _clock.GetUtcNow().UtcDateTime);
        Assert.Equal(3, (await NotificationsAsync(remediation.Id)).Count);
        await using (var db = _database.CreateContext())
        {
            Assert.NotNull((await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.Id == remediation.Id)).EscalatedAt);
        }

        // The supplier plans, implements; the verifier closes. Each change wakes the instance into its next stage.
        var signals = second.Services.GetRequiredService<IRemediationSignals>();
        await using (var db = _database.CreateContext())
        {
            var empty = await new SubmitActionPlanHandler(db, signals, _clock).HandleAsync(new(remediation.Id, Reviewer, "  "), CancellationToken.None);
            Assert.Contains("ActionPlan", empty.Errors.Keys);
            var plan = await new SubmitActionPlanHandler(db, signals, _clock).HandleAsync(new(remediation.Id, Reviewer, "Root cause: no owner. Gate log kept by the shift lead, checked weekly."), CancellationToken.None);
            Assert.True(plan.Succeeded);
        }

        // The handler's wake (InstanceWaker) is not relied on here: the step's own check interval (1 hour) moves it on.
        _clock.Advance(TimeSpan.FromMinutes(61));
        await WaitForSleepingStepAsync(second, remediation.WorkflowInstanceId!, "implementation-due");
        await using (var db = _database.CreateContext())
        {
            var done = await new RecordImplementationHandler(db, signals, _clock).HandleAsync(new(remediation.Id, Reviewer, "Log in place since Monday; photos uploaded."), CancellationToken.None);
            Assert.True(done.Succeeded);
            var early = await new SubmitActionPlanHandler(db, signals, _clock).HandleAsync(new(remediation.Id, Reviewer, "again"), CancellationToken.None);
            Assert.Equal(Core.Common.OutcomeStatus.Conflict, early.Status);
        }

        // The handler's wake (InstanceWaker) is not relied on here: the step's own check interval (1 hour) moves it on.
        _clock.Advance(TimeSpan.FromMinutes(61));
        await WaitForSleepingStepAsync(second, remediation.WorkflowInstanceId!, "verification");
        await using (var db = _database.CreateContext())
        {
            var verified = await new VerifyRemediationHandler(db, signals, _clock).HandleAsync(new(remediation.Id, Reviewer, true, "Two weeks of entries sampled; complete."), CancellationToken.None);
            Assert.True(verified.Succeeded);
        }

        _clock.Advance(TimeSpan.FromMinutes(61));
        await WaitUntilAsync(async db => await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(remediation.WorkflowInstanceId!) && w.Status == (int)WorkflowStatus.Complete), "the remediation instance completes");
        await using (var db = _database.CreateContext())
        {
            var finding = await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == remediation.FindingId);
            Assert.Equal(AssessmentFindingState.Closed, finding.State);
            var approve = await new DecideReviewHandler(db, second.Services.GetRequiredService<IReviewSignals>(), _clock)
                .HandleAsync(new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null), CancellationToken.None);
            Assert.True(approve.Succeeded, string.Join("; ", approve.Errors.SelectMany(e => e.Value)));
        }

        // The review completes and hands over to the reassessment workflow. Tier 1 is reassessed every 12 months
        // (tier policy): nothing is issued before, one questionnaire after.
        await WaitUntilAsync(async db => await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(reviewInstance) && w.Status == (int)WorkflowStatus.Complete), "the review completes");
        var data = Assert.IsType<AssessmentReviewData>((await second.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(reviewInstance)).Data);
        Assert.Equal(AssessmentState.Approved, data.FinalState);
        Assert.Equal(1, data.RemediationsOpened);
        var reassessment = data.ReassessmentInstanceId!;
        await WaitForSleepingStepAsync(second, reassessment, "reassessment-due");
        _clock.Advance(TimeSpan.FromDays(360));
        await Task.Delay(600);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(0, await db.Assessments.CountAsync(a => a.SupplierId == DemoData.MeridianSupplierId && a.Id != DemoData.MeridianAssessmentId));
        }

        _clock.Advance(TimeSpan.FromDays(10));
        await WaitUntilAsync(async db => await db.Set<PersistedWorkflow>().AnyAsync(w => w.Id == Guid.Parse(reassessment) && w.Status == (int)WorkflowStatus.Complete), "the reassessment is issued");
        await using (var db = _database.CreateContext())
        {
            var next = await db.Assessments.AsNoTracking().SingleAsync(a => a.SupplierId == DemoData.MeridianSupplierId && a.Id != DemoData.MeridianAssessmentId);
            Assert.Equal(AssessmentState.Issued, next.State);
            Assert.Equal(DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(30), next.DueDate);
            Assert.Equal(1, await db.Set<Notification>().CountAsync(n => n.Key == $"reassessment:{DemoData.MeridianAssessmentId:N}"));
        }

        Assert.True(_logs.Errors.Count == 0, _logs.All);
        AssertFirstHostLoggedOnlyCancellations();
        await second.StopAsync();
    }

    [Fact]
    public async Task ScoringFindings_AreCopiedOnceOpenOneCasePerNonconformityAndCloseWhenAClarificationResolvesThem()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier2Significant));
        }

        using var host = Build();
        await host.StartAsync();
        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.CalderaAssessmentId);
        await using (var db = _database.CreateContext())
        {
            // Every scored answer at its lowest: the scoring raises nonconformities.
            foreach (var answer in await db.Answers.Where(a => a.AssessmentId == DemoData.CalderaAssessmentId).ToListAsync())
            {
                answer.Value = answer.Value == "5" ? "1" : "no";
            }

            await db.SaveChangesAsync();
        }

        var instance = await host.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
        await WaitUntilAsync(async db => await db.Set<PersistedSubscription>().AnyAsync(s => s.EventName == ReviewEvents.ReviewDecided && s.EventKey == ReviewEvents.Key(DemoData.CalderaAssessmentId)), "the review waits for a decision");

        await using var check = _database.CreateContext();
        var snapshot = System.Text.Json.JsonSerializer.Deserialize<Core.Scoring.ScoreResult>(
            (await check.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId)).ScoreResultJson!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.NotEmpty(snapshot.Findings);
        var copied = await check.Set<AssessmentFinding>().AsNoTracking().Where(f => f.AssessmentId == DemoData.CalderaAssessmentId).ToListAsync();
        Assert.Equal(snapshot.Findings.Count, copied.Count);
        Assert.All(copied, f => Assert.Equal(FindingSource.Scoring, f.Source));
        var nonconformities = copied.Count(f => f.Grade != NonconformityGrade.OpportunityForImprovement);
        Assert.True(nonconformities > 0);
        await WaitUntilAsync(async db => await db.Set<RemediationCase>().CountAsync(r => r.AssessmentId == DemoData.CalderaAssessmentId && r.WorkflowInstanceId != null) == nonconformities, "every nonconformity has a running case");

        // Running the copy again (a retried step) adds nothing.
        var again = await new OpenRemediationsHandler(check, _clock).HandleAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
        Assert.Empty(again);
        Assert.Equal(copied.Count, await check.Set<AssessmentFinding>().CountAsync(f => f.AssessmentId == DemoData.CalderaAssessmentId));
        Assert.Equal(nonconformities, await check.Set<RemediationCase>().CountAsync(r => r.AssessmentId == DemoData.CalderaAssessmentId));
        var remediationInstances = await check.Set<PersistedWorkflow>().CountAsync(w => w.WorkflowDefinitionId == RemediationWorkflow.DefinitionId);
        Assert.Equal(nonconformities, remediationInstances);

        // With nonconformities open, the reviewer cannot approve outright.
        var decision = await new DecideReviewHandler(check, host.Services.GetRequiredService<IReviewSignals>(), _clock)
            .HandleAsync(new DecideReviewRequest(DemoData.CalderaAssessmentId, Reviewer, ReviewOutcome.Approve, null), CancellationToken.None);
        Assert.Equal(Core.Common.OutcomeStatus.Invalid, decision.Status);
        Assert.NotNull(instance);

        // The reviewer asks about one maturity answer that raised a nonconformity; the supplier's clarified answer
        // removes the gap. On rescoring that finding closes (with its case), the others stay open, none is copied twice.
        var maturityCodes = (await check.Answers.AsNoTracking().Where(a => a.AssessmentId == DemoData.CalderaAssessmentId && a.Value == "1")
            .Select(a => a.QuestionCode).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        var resolvedFinding = copied.Where(f => f.Grade != NonconformityGrade.OpportunityForImprovement && f.Reference is not null && maturityCodes.Contains(f.Reference))
            .OrderBy(f => f.Reference, StringComparer.Ordinal).First();
        // The demo submission was stamped with the system clock: the test clock moves past it, so the comment counts.
        var submittedAt = (await check.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId)).SubmittedAt!.Value;
        if (_clock.GetUtcNow() <= submittedAt)
        {
            _clock.SetUtcNow(submittedAt.AddSeconds(1));
        }

        var comment = await new AddReviewCommentHandler(check, _clock).HandleAsync(
            new AddReviewCommentRequest(DemoData.CalderaAssessmentId, resolvedFinding.Reference!, "Is this really at level 1?", Reviewer, "Reviewer", FromSupplier: false), CancellationToken.None);
        Assert.True(comment.Succeeded, string.Join("; ", comment.Errors.SelectMany(e => e.Value)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var returned = await new DecideReviewHandler(check, host.Services.GetRequiredService<IReviewSignals>(), _clock)
            .HandleAsync(new DecideReviewRequest(DemoData.CalderaAssessmentId, Reviewer, ReviewOutcome.ReturnForClarification, "Please check this level."), CancellationToken.None);
        Assert.True(returned.Succeeded, string.Join("; ", returned.Errors.SelectMany(e => e.Value)));
        await WaitUntilAsync(async db => await db.Set<PersistedSubscription>().AnyAsync(s => s.EventName == ReviewEvents.Resubmitted && s.EventKey == ReviewEvents.Key(DemoData.CalderaAssessmentId)), "the review waits for the resubmission");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await using (var db = _database.CreateContext())
        {
            await db.Answers.Where(a => a.AssessmentId == DemoData.CalderaAssessmentId && a.QuestionCode == resolvedFinding.Reference)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Value, "5"));
            await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, AssessmentState.Submitted).SetProperty(a => a.SubmittedAt, _clock.GetUtcNow()));
        }

        await host.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
        await WaitUntilAsync(async db => await db.Assessments.AnyAsync(a => a.Id == DemoData.CalderaAssessmentId && a.State == AssessmentState.UnderReview), "the resubmission is rescored");
        // The closing's audit entry is written after the rescoring's transaction commits, so a moment after the state.
        await WaitUntilAsync(async db => await db.Set<Core.Auditing.AuditEntry>().AnyAsync(e => e.Kind == FindingAuditKinds.ResolvedByClarification && e.Subject == $"finding:{resolvedFinding.Id:D}"), "the closing is in the audit log");
        await using (var db = _database.CreateContext())
        {
            var closed = await db.Set<AssessmentFinding>().AsNoTracking().SingleAsync(f => f.Id == resolvedFinding.Id);
            Assert.Equal(AssessmentFindingState.Closed, closed.State);
            Assert.Equal(RescoreResubmissionHandler.ResolvedNote, closed.ClosingNote);
            Assert.NotNull(closed.ClosedAt);
            var closedCase = await db.Set<RemediationCase>().AsNoTracking().SingleAsync(r => r.FindingId == resolvedFinding.Id);
            Assert.Equal(RemediationState.Closed, closedCase.State);
            Assert.NotNull(closedCase.DaysToClose);
            var after = await db.Set<AssessmentFinding>().AsNoTracking().Where(f => f.AssessmentId == DemoData.CalderaAssessmentId).ToListAsync();
            var rescored = System.Text.Json.JsonSerializer.Deserialize<Core.Scoring.ScoreResult>(
                (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId)).ScoreResultJson!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
            Assert.DoesNotContain(rescored.Findings, f => f.QuestionCode == resolvedFinding.Reference && f.Grade.ToString() == resolvedFinding.Grade.ToString());
            // Every finding the rescoring still has is open, once; only the resolved one closed.
            Assert.Equal(rescored.Findings.Count, after.Count(f => f.State == AssessmentFindingState.Open));
            Assert.Equal(after.Count, after.Select(f => f.Id).Distinct().Count());
            Assert.Equal([resolvedFinding.Id], after.Where(f => f.State == AssessmentFindingState.Closed).Select(f => f.Id));
            var logged = await db.Set<Core.Auditing.AuditEntry>().AsNoTracking()
                .SingleAsync(e => e.Kind == FindingAuditKinds.ResolvedByClarification && e.Subject == $"finding:{resolvedFinding.Id:D}");
            Assert.Equal(DemoData.CalderaSupplierId, logged.SupplierId);
            Assert.StartsWith(RescoreResubmissionHandler.ResolvedNote, logged.Details, StringComparison.Ordinal);
        }

        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await host.StopAsync();
    }

    [Fact]
    public async Task Scoring_SavesItsFindingsInItsOwnTransaction_AllOrNothing()
    {
        await using (var db = _database.CreateContext())
        {
            await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, SupplierTier.Tier2Significant));
        }

        await DemoAssessments.AnswerAndSubmitAsync(_database, DemoData.CalderaAssessmentId);
        await using (var db = _database.CreateContext())
        {
            foreach (var answer in await db.Answers.Where(a => a.AssessmentId == DemoData.CalderaAssessmentId).ToListAsync())
            {
                answer.Value = answer.Value == "5" ? "1" : "no";
            }

            await db.SaveChangesAsync();
        }

        // The feed row is the last write of the scoring: when it fails, nothing of the scoring is kept, findings included.
        var failing = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(failing, _database.ConnectionString);
        failing.AddInterceptors(new FailInsertInto("StatusChanges"));
        await using (var db = new SqliteSupplierAssureDbContext(failing.Options))
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.CalderaAssessmentId, CancellationToken.None));
        }

        await using (var db = _database.CreateContext())
        {
            Assert.Equal(AssessmentState.Submitted, await db.Assessments.Where(a => a.Id == DemoData.CalderaAssessmentId).Select(a => a.State).SingleAsync());
            Assert.Equal(0, await db.Set<AssessmentFinding>().CountAsync(f => f.AssessmentId == DemoData.CalderaAssessmentId));
        }

        // Scored for real: the findings are there the moment the scoring commits, before any workflow step copies them.
        await using (var db = _database.CreateContext())
        {
            var outcome = await new ScoreSubmittedAssessmentHandler(db, _clock).HandleAsync(DemoData.CalderaAssessmentId, CancellationToken.None);
            Assert.NotNull(outcome);
        }

        await using (var db = _database.CreateContext())
        {
            var snapshot = System.Text.Json.JsonSerializer.Deserialize<Core.Scoring.ScoreResult>(
                (await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == DemoData.CalderaAssessmentId)).ScoreResultJson!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
            Assert.NotEmpty(snapshot.Findings);
            Assert.Equal(snapshot.Findings.Count, await db.Set<AssessmentFinding>().CountAsync(f => f.AssessmentId == DemoData.CalderaAssessmentId && f.Source == FindingSource.Scoring));
        }
    }

    /// <summary>Fails the first INSERT into one table, as a lost connection or a full disk would at that moment.</summary>
    private sealed class FailInsertInto(string table) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(command);
            return command.CommandText.Contains($"INSERT INTO \"{table}\"", StringComparison.Ordinal)
                ? throw new DbUpdateException($"Simulated failure writing {table}.")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private IHost Build(LogSink? logs = null) => EngineHost.Build(_database, logs ?? _logs, configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private void AssertFirstHostLoggedOnlyCancellations() =>
        Assert.True(_firstLogs.Errors.All(e => e.Contains("TaskCanceledException", StringComparison.Ordinal) || e.Contains("OperationCanceledException", StringComparison.Ordinal) || e.Contains("ObjectDisposedException", StringComparison.Ordinal)), _firstLogs.All);

    private async Task<RemediationCase> WaitForCaseAsync(Func<RemediationCase, bool> condition)
    {
        RemediationCase? found = null;
        await WaitUntilAsync(async db =>
        {
            found = (await db.Set<RemediationCase>().AsNoTracking().ToListAsync()).FirstOrDefault(condition);
            return found is not null;
        }, "a remediation case opens");
        return found!;
    }

    private async Task<List<Notification>> NotificationsAsync(Guid remediationId)
    {
        await using var db = _database.CreateContext();
        var prefix = $"remediation:{remediationId:N}:";
        return (await db.Set<Notification>().AsNoTracking().Where(n => n.Key.StartsWith(prefix)).ToListAsync())
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Key, StringComparer.Ordinal).ToList();
    }

    private async Task<List<Notification>> WaitForNotificationsAsync(Guid remediationId, int count)
    {
        List<Notification> found = [];
        await EngineHost.WaitUntilAsync(async () => (found = await NotificationsAsync(remediationId)).Count >= count, $"{count} notification(s)", _logs, Patience);
        return found;
    }

    /// <summary>Waits until the named step of the instance is sleeping on its timer (after <paramref name="after"/>, when given).</summary>
    private Task WaitForSleepingStepAsync(IHost host, string instanceId, string stepName, DateTime? after = null) =>
        EngineHost.WaitUntilAsync(async () =>
        {
            var instance = await host.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(instanceId);
            return instance.ExecutionPointers.Any(p => p.StepName == stepName && p.Active && p.SleepUntil is { } until && until > (after ?? DateTime.MinValue));
        }, $"step {stepName} sleeps on its timer", _logs, Patience);

    private Task WaitUntilAsync(Func<Core.Data.SupplierAssureDbContext, Task<bool>> condition, string what) =>
        EngineHost.WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            return await condition(db);
        }, what, _logs, Patience);
}
