namespace SupplierAssure.Core.Onboarding;

/// <summary>A step of a supplier's onboarding that a use case completes.</summary>
public enum OnboardingMilestone
{
    /// <summary>A person decided the supplier's tier (a proposal accepted, or an override).</summary>
    TierDecided,
    /// <summary>Procurement issued the supplier's questionnaire.</summary>
    QuestionnaireIssued,
    /// <summary>Someone invited a contact of the supplier (its onboarding starts now, if it is still being onboarded).</summary>
    Invited,
    /// <summary>An invited contact accepted and created an account (the onboarding's sign-up step goes on now).</summary>
    SignedUp,
}

/// <summary>
/// The port through which onboarding use cases announce a milestone after it is committed. The workflow runtime
/// implements it (an event the onboarding workflow waits for); a host without it gets no signal, and the workflow
/// still finds the milestone in the database when it next looks, so a lost signal delays and never loses a step.
/// </summary>
public interface IOnboardingSignals
{
    /// <param name="assessmentId">The questionnaire issued, for <see cref="OnboardingMilestone.QuestionnaireIssued"/>.</param>
    Task MilestoneReachedAsync(Guid supplierId, OnboardingMilestone milestone, Guid? assessmentId, CancellationToken cancellationToken);
}
