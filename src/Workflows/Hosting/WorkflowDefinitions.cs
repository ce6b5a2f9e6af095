using Microsoft.Extensions.Options;
using SupplierAssure.Workflows.AssessmentReview;
using WorkflowCore.Interface;

namespace SupplierAssure.Workflows.Hosting;

/// <summary>
/// Registers our workflow definitions with WorkflowCore once per process. Needed wherever instances are started or
/// loaded, not only where the engine runs: starting an instance and reading its data both need the definition.
/// </summary>
public sealed class WorkflowDefinitions(IWorkflowRegistry registry, IOptions<WorkflowEngineOptions> options)
{
    private readonly Lock _gate = new();
    private bool _registered;

    public void EnsureRegistered()
    {
        lock (_gate)
        {
            if (_registered)
            {
                return;
            }

            // Version 1 stays registered so that instances started on it finish on it; new ones start on version 2.
            if (!registry.IsRegistered(AssessmentReviewWorkflow.DefinitionId, AssessmentReviewWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new AssessmentReviewWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(AssessmentReviewWorkflow.DefinitionId, AssessmentReviewWorkflowV2.DefinitionVersion))
            {
                registry.RegisterWorkflow(new AssessmentReviewWorkflowV2(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(AssessmentReviewWorkflow.DefinitionId, AssessmentReviewWorkflowV3.DefinitionVersion))
            {
                registry.RegisterWorkflow(new AssessmentReviewWorkflowV3(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(AssessmentReviewWorkflow.DefinitionId, AssessmentReviewWorkflowV4.DefinitionVersion))
            {
                registry.RegisterWorkflow(new AssessmentReviewWorkflowV4(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Remediation.RemediationWorkflow.DefinitionId, Remediation.RemediationWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Remediation.RemediationWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Deadlines.QuestionnaireDeadlineWorkflow.DefinitionId, Deadlines.QuestionnaireDeadlineWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Deadlines.QuestionnaireDeadlineWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Deadlines.ReassessmentWorkflow.DefinitionId, Deadlines.ReassessmentWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Deadlines.ReassessmentWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Credentials.CredentialMonitoringWorkflow.DefinitionId, Credentials.CredentialMonitoringWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Credentials.CredentialMonitoringWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Deadlines.ExclusionRevalidationWorkflow.DefinitionId, Deadlines.ExclusionRevalidationWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Deadlines.ExclusionRevalidationWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Onboarding.OnboardingWorkflow.DefinitionId, Onboarding.OnboardingWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Onboarding.OnboardingWorkflow(options.Value.StepRetryInterval));
            }

            if (!registry.IsRegistered(Audits.VisitReminderWorkflow.DefinitionId, Audits.VisitReminderWorkflow.DefinitionVersion))
            {
                registry.RegisterWorkflow(new Audits.VisitReminderWorkflow(options.Value.StepRetryInterval));
            }

            _registered = true;
        }
    }
}
