using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Onboarding;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace SupplierAssure.Workflows.Onboarding;

public sealed class OnboardingData
{
    public Guid SupplierId { get; set; }

    /// <summary>The workflow policy version the instance started with (reminder offsets, escalation delay).</summary>
    public int PolicyVersion { get; set; }

    /// <summary>Events from this moment on are matched, also those published before a wait began.</summary>
    public DateTime StartedAt { get; set; }

    public bool Tiered { get; set; }

    public SupplierTier? Tier { get; set; }

    public Guid? AssessmentId { get; set; }
}

/// <summary>
/// A new supplier's road to its first questionnaire: invitation accepted (someone of the supplier signed up) →
/// materiality and tier decided → questionnaire issued → answered by the due date, with reminders before it and an
/// escalation to procurement after it. The tier and issue use cases publish the events it waits for
/// (<see cref="IOnboardingSignals"/>); each wait first looks in the database, so a milestone reached before the wait
/// began is not waited for. Started by <see cref="Hosting.DeadlineSweeper"/> for every supplier still Invited or
/// Onboarding; an Excluded tier ends it (no questionnaire).
/// </summary>
public sealed class OnboardingWorkflow(TimeSpan stepRetryInterval) : IWorkflow<OnboardingData>
{
    public const string DefinitionId = "onboarding";
    public const int DefinitionVersion = 1;
    public const string TierDecidedEvent = "onboarding-tier-decided";
    public const string QuestionnaireIssuedEvent = "onboarding-questionnaire-issued";

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<OnboardingData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .UseDefaultErrorBehavior(WorkflowErrorHandling.Retry, stepRetryInterval)
            .StartWith<WaitForSignUpStep>()
                .Name("sign-up")
                .Input(step => step.SupplierId, data => data.SupplierId)
            .Then<OnboardingProgressStep>()
                .Name("check-tier")
                .Input(step => step.SupplierId, data => data.SupplierId)
                .Output(data => data.Tiered, step => step.Tiered)
            .If(data => !data.Tiered).Do(then => then
                .WaitFor(TierDecidedEvent, data => data.SupplierId.ToString("D"), data => data.StartedAt)
                    .Name("wait-for-tier"))
            .Then<OnboardingProgressStep>()
                .Name("check-questionnaire")
                .Input(step => step.SupplierId, data => data.SupplierId)
                .Output(data => data.Tier, step => step.Tier)
                .Output(data => data.AssessmentId, step => step.AssessmentId)
            .If(data => data.Tier != SupplierTier.Excluded).Do(then => then
                .If(data => data.AssessmentId == null).Do(wait => wait
                    .WaitFor(QuestionnaireIssuedEvent, data => data.SupplierId.ToString("D"), data => data.StartedAt)
                        .Name("wait-for-questionnaire")
                        .Output(data => data.AssessmentId, step => (Guid?)step.EventData))
                .Then<WatchQuestionnaireStep>()
                    .Name("answers-due")
                    .Input(step => step.AssessmentId, data => data.AssessmentId ?? Guid.Empty)
                    .Input(step => step.PolicyVersion, data => data.PolicyVersion));
    }
}

/// <summary>
/// Waits until someone of the supplier has signed up (an accepted invitation, or a user of the organisation). Sign-up
/// happens in the Portal's identity pages, which publish no event, so this step looks at the database and sleeps
/// between looks (at most <see cref="WorkflowEngineOptions.DeadlineCheckInterval"/>).
/// </summary>
public sealed partial class WaitForSignUpStep(
    IDbContextFactory<SupplierAssureDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WaitForSignUpStep> logger) : StepBodyAsync
{
    public Guid SupplierId { get; set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var signedUp = await db.Set<Core.Identity.Invitation>().AsNoTracking().AnyAsync(i => i.SupplierId == SupplierId && i.AcceptedAt != null, context.CancellationToken)
            || await db.Users.AsNoTracking().AnyAsync(u => u.SupplierId == SupplierId, context.CancellationToken);
        if (!signedUp)
        {
            return ExecutionResult.Sleep(DeadlineSleep.Until(null, clock, options.Value.DeadlineCheckInterval), null);
        }

        LogSignedUp(SupplierId);
        return ExecutionResult.Next();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Onboarding of supplier {SupplierId}: signed up.")]
    private partial void LogSignedUp(Guid supplierId);
}

/// <summary>Reads how far the supplier has come: whether its tier was decided, and its questionnaire, if one is issued.</summary>
public sealed class OnboardingProgressStep(IDbContextFactory<SupplierAssureDbContext> contexts) : StepBodyAsync
{
    public Guid SupplierId { get; set; }

    public bool Tiered { get; private set; }

    public SupplierTier? Tier { get; private set; }

    public Guid? AssessmentId { get; private set; }

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        Tiered = await db.TierDecisions.AsNoTracking().AnyAsync(d => d.SupplierId == SupplierId, context.CancellationToken);
        Tier = await db.Suppliers.AsNoTracking().Where(s => s.Id == SupplierId).Select(s => (SupplierTier?)s.Tier).SingleOrDefaultAsync(context.CancellationToken);
        AssessmentId = await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == SupplierId)
            .OrderByDescending(a => a.IssuedAt)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(context.CancellationToken);
        return ExecutionResult.Next();
    }
}

/// <summary>
/// Tells the onboarding workflow of a milestone at the moment it is committed: the tier and questionnaire events it
/// waits for (keyed by the supplier, stamped with the application clock); for an invitation or a sign-up of a supplier
/// still Invited or Onboarding, its instance is started now if it has none (through the same start lock as the sweep,
/// so never twice), and an existing one is woken so its sign-up step looks again at once instead of at its next timer.
/// </summary>
public sealed partial class WorkflowOnboardingSignals(
    IWorkflowController controller,
    IDbContextFactory<SupplierAssureDbContext> contexts,
    Hosting.DeadlineSweeper sweeper,
    Hosting.InstanceWaker waker,
    TimeProvider clock,
    ILogger<WorkflowOnboardingSignals> logger) : IOnboardingSignals
{
    public async Task MilestoneReachedAsync(Guid supplierId, OnboardingMilestone milestone, Guid? assessmentId, CancellationToken cancellationToken)
    {
        if (milestone is OnboardingMilestone.Invited or OnboardingMilestone.SignedUp)
        {
            await EngageAsync(supplierId, milestone, cancellationToken);
            return;
        }

        var name = milestone == OnboardingMilestone.TierDecided ? OnboardingWorkflow.TierDecidedEvent : OnboardingWorkflow.QuestionnaireIssuedEvent;
        try
        {
            await controller.PublishEvent(name, supplierId.ToString("D"), assessmentId ?? (object)supplierId, clock.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or TimeoutException)
        {
            // The milestone is committed; the caller's answer must not become an error page. The sweep publishes the
            // event again for an instance still waiting for a milestone it finds in the database.
            LogSignalFailed(ex, name, supplierId);
        }
    }

    private async Task EngageAsync(Guid supplierId, OnboardingMilestone milestone, CancellationToken cancellationToken)
    {
        try
        {
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var lifecycle = await db.Suppliers.AsNoTracking().Where(s => s.Id == supplierId).Select(s => (SupplierLifecycle?)s.Lifecycle).SingleOrDefaultAsync(cancellationToken);
                if (lifecycle is not (SupplierLifecycle.Invited or SupplierLifecycle.Onboarding))
                {
                    return; // a contact added to an organisation already onboarded: nothing to move
                }
            }

            var (instanceId, started) = await sweeper.StartOnboardingAsync(supplierId, cancellationToken);
            if (!started && milestone == OnboardingMilestone.SignedUp)
            {
                await waker.WakeAsync(instanceId, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or TimeoutException)
        {
            // The invitation or account is committed; the sweep starts the onboarding, and its sign-up step finds the
            // account at its next look.
            LogSignalFailed(ex, milestone.ToString(), supplierId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telling the onboarding of supplier {SupplierId} about {EventName} failed; the sweep and the step's next look catch up.")]
    private partial void LogSignalFailed(Exception exception, string eventName, Guid supplierId);
}
