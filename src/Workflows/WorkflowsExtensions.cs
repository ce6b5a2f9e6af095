using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Registries;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Workflows.Admin;
using SupplierAssure.Workflows.Credentials;
using SupplierAssure.Workflows.Deadlines;
using SupplierAssure.Workflows.Remediation;
using SupplierAssure.Workflows.AssessmentReview;
using SupplierAssure.Workflows.Hosting;
using SupplierAssure.Workflows.Persistence;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows;

public static class WorkflowsExtensions
{
    /// <summary>
    /// Adds the WorkflowCore engine on our database, the assessment-review workflow and its
    /// <see cref="IAssessmentReviewStarter"/>, and a hosted service that runs the engine when
    /// "Workflows:Enabled" is true (the default). Needs <c>IDbContextFactory&lt;SupplierAssureDbContext&gt;</c>
    /// (from AddServiceDefaults) and applied migrations before the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddSupplierAssureWorkflows(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var section = builder.Configuration.GetSection(WorkflowEngineOptions.SectionName);
        services.AddOptions<WorkflowEngineOptions>()
            .Bind(section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Workflows:PollInterval must be positive.")
            .Validate(o => o.StepRetryInterval > TimeSpan.Zero, "Workflows:StepRetryInterval must be positive.")
            .Validate(o => o.LockLease >= TimeSpan.FromSeconds(1), "Workflows:LockLease must be at least a second.")
            .Validate(o => o.DeadlineCheckInterval >= TimeSpan.FromSeconds(1), "Workflows:DeadlineCheckInterval must be at least a second.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1), "Workflows:SweepInterval must be at least a second.")
            .Validate(o => o.CredentialIntakeInterval >= TimeSpan.FromMilliseconds(100), "Workflows:CredentialIntakeInterval must be at least 100 ms.")
            .ValidateOnStart();
        services.AddOptions<PersistedValueTypes>()
            .Configure(t => t.Register<CredentialWatchState>(CredentialMonitoringWorkflow.WatchStateKind));

        // WorkflowCore reads its poll interval once, while services are being registered, so it is read here too.
        var engineOptions = section.Get<WorkflowEngineOptions>() ?? new WorkflowEngineOptions();
        services.AddWorkflow(o =>
        {
            o.UsePersistence(sp => sp.GetRequiredService<EfCorePersistenceProvider>());
            // Locks live in the database too, so every process on it sees them (the default lock is per process).
            o.UseDistributedLockManager(sp => sp.GetRequiredService<DatabaseLockProvider>());
            o.UseQueueProvider(sp => sp.GetRequiredService<PendingOnceQueueProvider>());
            if (engineOptions.PollInterval > TimeSpan.Zero)
            {
                o.UsePollInterval(engineOptions.PollInterval);
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        // WorkflowCore asks for its persistence per use; one shared provider keeps the row versions it has read.
        services.AddSingleton<EfCorePersistenceProvider>();
        services.AddSingleton<DatabaseLockProvider>();
        services.AddSingleton<PendingOnceQueueProvider>();
        services.Replace(ServiceDescriptor.Singleton<IDateTimeProvider, TimeProviderDateTimeProvider>());
        services.AddSingleton<WorkflowDefinitions>();
        services.AddTransient<ScoreAssessmentStep>();
        services.AddTransient<RecordOutcomeStep>();
        services.AddTransient<ReadDecisionStep>();
        services.AddTransient<RescoreResubmissionStep>();
        services.AddSingleton<IAssessmentReviewStarter, WorkflowReviewStarter>();
        services.AddSingleton<IReviewSignals, WorkflowReviewSignals>();
        services.AddTransient<OpenRemediationStep>();
        services.AddTransient<WatchRemediationStep>();
        services.AddTransient<WatchQuestionnaireStep>();
        services.AddTransient<ReassessmentStep>();
        services.AddTransient<StartReassessmentStep>();
        services.AddTransient<WatchCredentialStep>();
        services.AddTransient<WatchExclusionStep>();
        services.AddTransient<Onboarding.WaitForSignUpStep>();
        services.AddTransient<Onboarding.OnboardingProgressStep>();
        services.AddSingleton<Core.Onboarding.IOnboardingSignals, Onboarding.WorkflowOnboardingSignals>();
        // Credential monitoring re-verifies with the same registry adapters the gateway uses (EU AEO, EORI: typed
        // HTTP clients, "CredentialRegistries:<name>" settings) and queues the rest for a reviewer.
        services.AddCredentialRegistries();
        services.AddSingleton<InstanceWaker>();
        services.AddSingleton<WorkflowRemediationStarter>();
        services.AddSingleton<IRemediationSignals>(sp => sp.GetRequiredService<WorkflowRemediationStarter>());
        services.AddSingleton<WorkflowStarts>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddTransient<Audits.WatchVisitStep>();
        services.AddSingleton<Audits.VisitReminderStarter>();
        services.AddSingleton<WorkflowAdministration>();
        services.AddHostedService<WorkflowEngineHostedService>();
        services.AddHostedService<DeadlineSweepService>();
        services.AddHostedService<CredentialIntakeService>();
        return builder;
    }
}
