using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.WorkflowStore;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// Version 2 of the assessment review on the real engine: routed submissions wait for people (an audit's completion,
/// a reviewer's decision), and each decision changes state, assurance status and the feed exactly once.
/// </summary>
public sealed class AssessmentReviewDecisionTests : IAsyncLifetime
{
    private static readonly Guid Reviewer = Guid.Parse("7d2f0c3b-1a2d-4c5e-9f60-7a8b9c0000aa");
    private static readonly Guid RiskOwner = Guid.Parse("7d2f0c3b-1a2d-4c5e-9f60-7a8b9c0000bb");
    private readonly LogSink _logs = new();
    private SqliteTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteTestDatabase.CreateAsync();
        await DemoAssessments.SeedAsync(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task HumanReviewRoute_ReviewerApproves_InstanceCompletesWithOneFeedRowPerChange()
    {
        await SetTierAsync(DemoData.MeridianAssessmentId, SupplierTier.Tier2Significant);
        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();
        var instanceId = await SubmitAsync(host, DemoData.MeridianAssessmentId);
        await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, DemoData.MeridianAssessmentId);
        Assert.Equal(AssessmentState.UnderReview, await StateAsync(DemoData.MeridianAssessmentId));
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
        var feedBefore = await FeedAsync(DemoData.MeridianSupplierId);

        var outcome = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null));

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.SelectMany(e => e.Value)));
        Assert.NotNull(outcome.Value!.SignalledAt);
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the instance completes", _logs);
        var data = await DataAsync(host, instanceId);
        Assert.Equal(outcome.Value.Id, data.DecisionId);
        Assert.Equal(AssessmentState.Approved, data.FinalState);
        var change = Assert.Single((await FeedAsync(DemoData.MeridianSupplierId)).Except(feedBefore));
        Assert.Equal((AssuranceStatus.UnderReview, AssuranceStatus.Approved), Transition(change));
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await host.StopAsync();
    }

    [Fact]
    public async Task AuditRoute_MinorFindingOpen_NeedsRiskAcceptanceThenApprovesConditionally()
    {
        await SetTierAsync(DemoData.MeridianAssessmentId, SupplierTier.Tier1Critical);
        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();
        var instanceId = await SubmitAsync(host, DemoData.MeridianAssessmentId);
        await WaitForSubscriptionAsync(ReviewEvents.AuditCompleted, DemoData.MeridianAssessmentId);
        Assert.Equal(AssessmentState.Audit, await StateAsync(DemoData.MeridianAssessmentId));

        // A reviewer cannot decide while the audit is still open.
        var early = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null));
        Assert.Equal(OutcomeStatus.Conflict, early.Status);

        var audit = await CompleteAuditAsync(host, new CompleteAuditRequest(
            DemoData.MeridianAssessmentId, Reviewer, "Site visit done; seal log kept on paper only.",
            [new AuditFindingInput(NonconformityGrade.MinorNonconformity, "8", "Seal numbers not reconciled daily.")]));
        Assert.True(audit.Succeeded, string.Join("; ", audit.Errors.SelectMany(e => e.Value)));
        await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, DemoData.MeridianAssessmentId);
        Assert.Equal(AssessmentState.UnderReview, await StateAsync(DemoData.MeridianAssessmentId));

        var plain = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null));
        Assert.Equal(OutcomeStatus.Invalid, plain.Status);
        Assert.Contains("Outcome", plain.Errors.Keys);
        // A conditional approval leaves residual risk: the reviewer cannot decide it alone, only propose it.
        var direct = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.ConditionallyApprove, "Minor only."));
        Assert.Equal(OutcomeStatus.Invalid, direct.Status);
        Assert.Contains("risk owner", direct.Errors["Outcome"][0], StringComparison.Ordinal);
        var proposal = await ProposeAsync(host, new ProposeResidualRiskRequest(
            DemoData.MeridianAssessmentId, Reviewer, "Rita Reviewer", ReviewOutcome.ConditionallyApprove, "Minor only; fix within 60 days."));
        Assert.True(proposal.Succeeded, string.Join("; ", proposal.Errors.SelectMany(e => e.Value)));
        Assert.Equal(OutcomeStatus.Conflict, (await ProposeAsync(host, new ProposeResidualRiskRequest(
            DemoData.MeridianAssessmentId, Reviewer, "Rita Reviewer", ReviewOutcome.ConditionallyApprove, "Again."))).Status);

        // Segregation of duties: the proposer cannot sign; a risk owner must give a reason.
        var own = await SignOffAsync(host, new SignOffResidualRiskRequest(proposal.Value!.Id, Reviewer, "Rita Reviewer", true, "Fine by me."));
        Assert.Equal(OutcomeStatus.Invalid, own.Status);
        Assert.Contains("RiskOwner", own.Errors.Keys);
        var unexplained = await SignOffAsync(host, new SignOffResidualRiskRequest(proposal.Value.Id, RiskOwner, "Dana Risk", true, "  "));
        Assert.Equal(OutcomeStatus.Invalid, unexplained.Status);
        Assert.Contains("Reason", unexplained.Errors.Keys);

        // Nothing is decided yet: the instance still waits for a decision.
        Assert.Equal(AssessmentState.UnderReview, await StateAsync(DemoData.MeridianAssessmentId));
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(1, await db.Set<ReviewDecision>().CountAsync(d => d.AssessmentId == DemoData.MeridianAssessmentId));
        }

        var feedBefore = await FeedAsync(DemoData.MeridianSupplierId);
        var accepted = await SignOffAsync(host, new SignOffResidualRiskRequest(
            proposal.Value.Id, RiskOwner, "Dana Risk", true, "I accept the open seal reconciliation gap until it is fixed."));
        Assert.True(accepted.Succeeded, string.Join("; ", accepted.Errors.SelectMany(e => e.Value)));
        Assert.Equal(ResidualRiskState.Accepted, accepted.Value!.State);
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the instance completes", _logs);

        var data = await DataAsync(host, instanceId);
        Assert.Equal(audit.Value!.Id, data.AuditDecisionId);
        Assert.Equal(accepted.Value.DecisionId, data.DecisionId);
        Assert.Equal(AssessmentState.ConditionallyApproved, data.FinalState);
        Assert.Equal((AssuranceStatus.UnderReview, AssuranceStatus.ConditionallyApproved), Transition(Assert.Single((await FeedAsync(DemoData.MeridianSupplierId)).Except(feedBefore))));
        await using (var db = _database.CreateContext())
        {
            var stored = await db.Set<ReviewDecision>().AsNoTracking().SingleAsync(d => d.Id == accepted.Value.DecisionId);
            Assert.Equal(ReviewOutcome.ConditionallyApprove, stored.Outcome);
            Assert.Equal(Reviewer, stored.DecidedBy);
            Assert.Equal("Dana Risk", stored.RiskOwner);
            Assert.Equal("I accept the open seal reconciliation gap until it is fixed.", stored.RiskAcceptance);
            var kinds = await db.Set<Core.Auditing.AuditEntry>().AsNoTracking()
                .Where(e => e.SupplierId == DemoData.MeridianSupplierId && e.Kind.StartsWith("review.residual-risk"))
                .OrderBy(e => e.Sequence).Select(e => e.Kind + " " + e.Actor).ToListAsync();
            Assert.Equal([ResidualRiskAuditKinds.Proposed + " Rita Reviewer", ResidualRiskAuditKinds.Accepted + " Dana Risk"], kinds);
        }

        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await host.StopAsync();
    }

    [Fact]
    public async Task AuditRoute_MajorFindingOpen_BlocksAnyApprovalButAllowsRejection()
    {
        await SetTierAsync(DemoData.MeridianAssessmentId, SupplierTier.Tier1Critical);
        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();
        var instanceId = await SubmitAsync(host, DemoData.MeridianAssessmentId);
        await WaitForSubscriptionAsync(ReviewEvents.AuditCompleted, DemoData.MeridianAssessmentId);
        var audit = await CompleteAuditAsync(host, new CompleteAuditRequest(
            DemoData.MeridianAssessmentId, Reviewer, "No access control at the yard gate.",
            [new AuditFindingInput(NonconformityGrade.MajorNonconformity, "8", "Yard gate unattended at night."),
             new AuditFindingInput(NonconformityGrade.MinorNonconformity, null, "Visitor log incomplete.")]));
        Assert.True(audit.Succeeded);

        var conditional = await DecideAsync(host, new DecideReviewRequest(
            DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.ConditionallyApprove, "Try."));
        Assert.Equal(OutcomeStatus.Invalid, conditional.Status);
        Assert.Contains("major", conditional.Errors["Outcome"][0], StringComparison.Ordinal);
        var noReason = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Reject, "  "));
        Assert.Equal(OutcomeStatus.Invalid, noReason.Status);
        Assert.Contains("Reason", noReason.Errors.Keys);

        var rejected = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Reject, "Major nonconformity at the yard gate."));
        Assert.True(rejected.Succeeded);
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the instance completes", _logs);
        Assert.Equal(AssessmentState.Rejected, (await DataAsync(host, instanceId)).FinalState);
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(AssuranceStatus.Rejected, (await db.Suppliers.AsNoTracking().SingleAsync(s => s.Id == DemoData.MeridianSupplierId)).AssuranceStatus);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task DecisionCommittedButNotSignalled_NewHostSignalsItOnceAndTheInstanceResumes()
    {
        await SetTierAsync(DemoData.MeridianAssessmentId, SupplierTier.Tier2Significant);
        string instanceId;
        using (var first = EngineHost.Build(_database, _logs))
        {
            await first.StartAsync();
            instanceId = await SubmitAsync(first, DemoData.MeridianAssessmentId);
            await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, DemoData.MeridianAssessmentId);
            await first.StopAsync();
        }

        // The process dies after the decision's commit and before it tells the workflow.
        await using (var db = _database.CreateContext())
        {
            var handler = new DecideReviewHandler(db, new CrashBeforeSignal(), TimeProvider.System);
            await Assert.ThrowsAsync<CrashBeforeSignal.Crash>(() =>
                handler.HandleAsync(new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null), CancellationToken.None));
        }

        Assert.Equal(AssessmentState.Approved, await StateAsync(DemoData.MeridianAssessmentId));
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
        var feedAfterDecision = await FeedAsync(DemoData.MeridianSupplierId);

        var restartedLogs = new LogSink();
        using (var second = EngineHost.Build(_database, restartedLogs))
        {
            await second.StartAsync();
            await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(instanceId) == WorkflowStatus.Complete, "the instance resumes and completes", restartedLogs);
            Assert.Equal(AssessmentState.Approved, (await DataAsync(second, instanceId)).FinalState);
            Assert.Single(restartedLogs.All.Split(Environment.NewLine), l => l.Contains("had not reached its workflow", StringComparison.Ordinal));
            // Checked before stopping: a stopped engine's poll timer can log disposal noise (docs/workflows.md).
            Assert.True(restartedLogs.Errors.Count == 0, restartedLogs.All);
            await second.StopAsync();
        }

        // Starting again finds nothing left to signal, and nothing ran twice.
        var thirdLogs = new LogSink();
        using (var third = EngineHost.Build(_database, thirdLogs))
        {
            await third.StartAsync();
            Assert.DoesNotContain("had not reached its workflow", thirdLogs.All, StringComparison.Ordinal);
            await third.StopAsync();
        }

        await using (var db = _database.CreateContext())
        {
            Assert.NotNull((await db.Set<ReviewDecision>().AsNoTracking().SingleAsync()).SignalledAt);
            Assert.Single(await db.Set<PersistedEvent>().AsNoTracking().Where(e => e.EventName == ReviewEvents.ReviewDecided).ToListAsync());
        }

        Assert.Equal(feedAfterDecision, await FeedAsync(DemoData.MeridianSupplierId));
    }

    [Fact]
    public async Task ReturnedAndResubmitted_NewInstanceWaitsForItsOwnDecision()
    {
        await SetTierAsync(DemoData.MeridianAssessmentId, SupplierTier.Tier2Significant);
        using var host = EngineHost.Build(_database, _logs);
        await host.StartAsync();
        var firstInstance = await SubmitAsync(host, DemoData.MeridianAssessmentId);
        await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, DemoData.MeridianAssessmentId);
        var returned = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Return, "Attach the seal procedure."));
        Assert.True(returned.Succeeded);
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(firstInstance) == WorkflowStatus.Complete, "the first instance completes", _logs);
        Assert.Equal(AssessmentState.InProgress, await StateAsync(DemoData.MeridianAssessmentId));

        var secondInstance = await SubmitAsync(host, DemoData.MeridianAssessmentId, answer: false);
        Assert.NotEqual(firstInstance, secondInstance);
        await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, DemoData.MeridianAssessmentId);

        // The earlier Return event is older than this instance, so it waits rather than taking it as its decision.
        Assert.Equal(AssessmentState.UnderReview, await StateAsync(DemoData.MeridianAssessmentId));
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(secondInstance));
        var approved = await DecideAsync(host, new DecideReviewRequest(DemoData.MeridianAssessmentId, Reviewer, ReviewOutcome.Approve, null));
        Assert.True(approved.Succeeded);
        await EngineHost.WaitUntilAsync(async () => await InstanceStatusAsync(secondInstance) == WorkflowStatus.Complete, "the second instance completes", _logs);
        Assert.Equal(approved.Value!.Id, (await DataAsync(host, secondInstance)).DecisionId);
        Assert.True(_logs.Errors.Count == 0, _logs.All);
        await host.StopAsync();
    }

    [Fact]
    public async Task ReturnedForClarificationAndResubmittedBeforeTheEngineReadsTheDecision_TheSameInstanceRescoresIt()
    {
        var id = DemoData.MeridianAssessmentId;
        await SetTierAsync(id, SupplierTier.Tier2Significant);
        string instanceId;
        using (var first = EngineHost.Build(_database, _logs))
        {
            await first.StartAsync();
            instanceId = await SubmitAsync(first, id);
            await WaitForSubscriptionAsync(ReviewEvents.ReviewDecided, id);
            await first.StopAsync();
        }

        // No engine runs while the reviewer returns the assessment for clarification and the supplier resubmits, so
        // the engine meets the decision with the assessment already Submitted again (a fast supplier, a busy engine).
        using (var idle = EngineHost.Build(_database, _logs, enabled: false))
        {
            await idle.StartAsync();
            await using (var db = _database.CreateContext())
            {
                var templateId = await db.Assessments.Where(a => a.Id == id).Select(a => a.TemplateId).SingleAsync();
                var code = await db.TemplateQuestions.Where(q => q.TemplateId == templateId).OrderBy(q => q.Order).Select(q => q.Code).FirstAsync();
                var comment = await new AddReviewCommentHandler(db, TimeProvider.System).HandleAsync(
                    new AddReviewCommentRequest(id, code, "Which sites does this cover?", Reviewer, "Reviewer", FromSupplier: false), CancellationToken.None);
                Assert.True(comment.Succeeded, string.Join(" ", comment.Errors.SelectMany(e => e.Value)));
            }

            var returned = await DecideAsync(idle, new DecideReviewRequest(id, Reviewer, ReviewOutcome.ReturnForClarification, "One question to clarify."));
            Assert.True(returned.Succeeded, string.Join(" ", returned.Errors.SelectMany(e => e.Value)));
            Assert.Equal(instanceId, await SubmitAsync(idle, id, answer: false));
            await idle.StopAsync();
        }

        using var engine = EngineHost.Build(_database, _logs);
        await engine.StartAsync();
        await EngineHost.WaitUntilAsync(
            async () => (await DataAsync(engine, instanceId)).ClarificationRounds == 1 && await StateAsync(id) == AssessmentState.UnderReview,
            "the same instance rescores the resubmission",
            _logs);
        Assert.Equal(WorkflowStatus.Runnable, await InstanceStatusAsync(instanceId));
        await engine.StopAsync();
    }

    [Fact]
    public async Task CompleteAudit_BadInput_ExplainsEachProblemAndChangesNothing()
    {
        using var host = EngineHost.Build(_database, _logs, enabled: false);
        await host.StartAsync();
        var outcome = await CompleteAuditAsync(host, new CompleteAuditRequest(
            DemoData.MeridianAssessmentId, Reviewer, " ", [new AuditFindingInput((NonconformityGrade)42, new string('x', 40), "")]));

        Assert.Equal(OutcomeStatus.Invalid, outcome.Status);
        Assert.Equal(
            new[] { "Findings[0].Grade", "Findings[0].Reference", "Findings[0].Summary", "Summary" },
            outcome.Errors.Keys.Order(StringComparer.Ordinal));
        await using var db = _database.CreateContext();
        Assert.Empty(await db.Set<AssessmentFinding>().AsNoTracking().ToListAsync());
        Assert.Empty(await db.Set<ReviewDecision>().AsNoTracking().ToListAsync());
        await host.StopAsync();
    }

    private sealed class CrashBeforeSignal : IReviewSignals
    {
        public Task DecisionRecordedAsync(ReviewDecision decision, CancellationToken cancellationToken) => throw new Crash();

        public sealed class Crash : Exception
        {
        }
    }

    private async Task<string> SubmitAsync(IHost host, Guid assessmentId, bool answer = true)
    {
        if (answer)
        {
            await DemoAssessments.AnswerAndSubmitAsync(_database, assessmentId);
        }
        else
        {
            await using var db = _database.CreateContext();
            await db.Assessments.Where(a => a.Id == assessmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AssessmentState.Submitted));
        }

        return await host.Services.GetRequiredService<IAssessmentReviewStarter>().StartAsync(assessmentId, CancellationToken.None);
    }

    private async Task<Outcome<ReviewDecision>> DecideAsync(IHost host, DecideReviewRequest request)
    {
        await using var db = _database.CreateContext();
        return await new DecideReviewHandler(db, host.Services.GetRequiredService<IReviewSignals>(), TimeProvider.System).HandleAsync(request, CancellationToken.None);
    }

    private async Task<Outcome<ResidualRiskAcceptance>> ProposeAsync(IHost host, ProposeResidualRiskRequest request)
    {
        await using var db = _database.CreateContext();
        return await new ProposeResidualRiskHandler(db, AuditLogOf(host), TimeProvider.System).HandleAsync(request, CancellationToken.None);
    }

    private async Task<Outcome<ResidualRiskAcceptance>> SignOffAsync(IHost host, SignOffResidualRiskRequest request)
    {
        await using var db = _database.CreateContext();
        return await new SignOffResidualRiskHandler(db, host.Services.GetRequiredService<IReviewSignals>(), AuditLogOf(host), TimeProvider.System)
            .HandleAsync(request, CancellationToken.None);
    }

    private static Core.Auditing.AuditLog AuditLogOf(IHost host) =>
        new(host.Services.GetRequiredService<IDbContextFactory<Core.Data.SupplierAssureDbContext>>(), TimeProvider.System);

    private async Task<Outcome<ReviewDecision>> CompleteAuditAsync(IHost host, CompleteAuditRequest request)
    {
        await using var db = _database.CreateContext();
        return await new CompleteAuditHandler(db, host.Services.GetRequiredService<IReviewSignals>(), TimeProvider.System).HandleAsync(request, CancellationToken.None);
    }

    private async Task SetTierAsync(Guid assessmentId, SupplierTier tier)
    {
        await using var db = _database.CreateContext();
        await db.Assessments.Where(a => a.Id == assessmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.TierAtIssue, tier));
    }

    private Task WaitForSubscriptionAsync(string eventName, Guid assessmentId) =>
        EngineHost.WaitUntilAsync(
            async () =>
            {
                await using var db = _database.CreateContext();
                var key = ReviewEvents.Key(assessmentId);
                return await db.Set<PersistedSubscription>().AsNoTracking().AnyAsync(s => s.EventName == eventName && s.EventKey == key);
            },
            $"the instance waits for {eventName}",
            _logs);

    private static async Task<AssessmentReviewData> DataAsync(IHost host, string instanceId) =>
        Assert.IsType<AssessmentReviewData>((await host.Services.GetRequiredService<EfCorePersistenceProvider>().GetWorkflowInstance(instanceId)).Data);

    private async Task<AssessmentState> StateAsync(Guid assessmentId)
    {
        await using var db = _database.CreateContext();
        return await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId).Select(a => a.State).SingleAsync();
    }

    private async Task<WorkflowStatus?> InstanceStatusAsync(string instanceId)
    {
        await using var db = _database.CreateContext();
        var key = Guid.Parse(instanceId);
        return (WorkflowStatus?)await db.Set<PersistedWorkflow>().AsNoTracking().Where(w => w.Id == key).Select(w => (int?)w.Status).SingleOrDefaultAsync();
    }

    /// <summary>The supplier's feed rows with their sequence, so that two equal transitions stay two rows.</summary>
    private async Task<List<(long Sequence, AssuranceStatus From, AssuranceStatus To)>> FeedAsync(Guid supplierId)
    {
        await using var db = _database.CreateContext();
        return (await db.StatusChanges.AsNoTracking().Where(c => c.SupplierId == supplierId).OrderBy(c => c.Sequence)
            .Select(c => new { c.Sequence, c.PreviousStatus, c.NewStatus }).ToListAsync())
            .ConvertAll(c => (c.Sequence, c.PreviousStatus, c.NewStatus));
    }

    private static (AssuranceStatus From, AssuranceStatus To) Transition((long Sequence, AssuranceStatus From, AssuranceStatus To) row) => (row.From, row.To);
}
