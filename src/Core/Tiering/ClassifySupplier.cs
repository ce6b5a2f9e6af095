using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Core.Tiering;

/// <param name="AcceptProposal">Apply the proposed tier at once; otherwise the assessment is recorded for a person to decide.</param>
public sealed record AssessMaterialityRequest(Guid SupplierId, MaterialityFactors Factors, Guid? AssessedBy, bool AcceptProposal);

public sealed record OverrideTierRequest(Guid SupplierId, SupplierTier Tier, string? Justification, Guid? DecidedBy, Guid? MaterialityAssessmentId = null);

/// <summary>
/// Classifies suppliers: a materiality assessment proposes a tier under the current policy; a person may accept it or
/// override it with a justification. Every change of tier appends a <see cref="TierDecision"/>, so the history stays whole.
/// </summary>
public sealed class ClassifySupplierHandler(SupplierAssureDbContext db, TimeProvider clock, Onboarding.IOnboardingSignals? onboarding = null)
{
    public const int MinJustificationLength = 20;

    public async Task<Outcome<MaterialityAssessment>> AssessAsync(AssessMaterialityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == request.SupplierId, cancellationToken);
        if (supplier is null)
        {
            return Outcome<MaterialityAssessment>.From(Outcome.NotFound());
        }

        var invalid = Enum.GetValues<FactorLevel>() is var levels
            && new[] { request.Factors.ValueAtRisk, request.Factors.ThreatExposure, request.Factors.DisruptionConsequence, request.Factors.RegulatorySensitivity, request.Factors.SubstitutionDifficulty }
                .Any(l => !levels.Contains(l));
        if (invalid || (request.Factors.SpecialCargo & ~(SpecialCargo.HighValue | SpecialCargo.Hazardous | SpecialCargo.Controlled)) != 0)
        {
            return Outcome<MaterialityAssessment>.From(Outcome.Invalid("Factors", "Rate each factor from negligible to severe and choose only known cargo types."));
        }

        var policy = await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var proposal = policy.Propose(request.Factors);
        var f = request.Factors;
        var assessment = new MaterialityAssessment
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            ValueAtRisk = f.ValueAtRisk,
            ThreatExposure = f.ThreatExposure,
            DisruptionConsequence = f.DisruptionConsequence,
            RegulatorySensitivity = f.RegulatorySensitivity,
            SubstitutionDifficulty = f.SubstitutionDifficulty,
            SpecialCargo = f.SpecialCargo,
            Points = proposal.Points,
            ProposedTier = proposal.Tier,
            Reasons = string.Join('\n', proposal.Reasons),
            PolicyVersion = policy.Version,
            AssessedAt = clock.GetUtcNow(),
            AssessedBy = request.AssessedBy,
        };
        db.MaterialityAssessments.Add(assessment);
        if (request.AcceptProposal)
        {
            Decide(supplier, proposal.Tier, TierDecisionSource.Proposal, null, request.AssessedBy, assessment.Id, policy.Version);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (request.AcceptProposal)
        {
            await SignalTierAsync(supplier.Id, cancellationToken);
        }

        return Outcome<MaterialityAssessment>.Ok(assessment);
    }

    /// <summary>
    /// Applies the tier proposed by an earlier materiality assessment of the supplier, as a person's acceptance. Only the
    /// supplier's newest assessment may be accepted, so nobody applies a proposal that a later assessment replaced.
    /// </summary>
    public async Task<Outcome<TierDecision>> AcceptProposalAsync(Guid supplierId, Guid materialityAssessmentId, Guid? decidedBy, CancellationToken cancellationToken)
    {
        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == supplierId, cancellationToken);
        if (supplier is null)
        {
            return Outcome<TierDecision>.From(Outcome.NotFound());
        }

        var newest = await db.MaterialityAssessments.AsNoTracking()
            .Where(m => m.SupplierId == supplierId)
            .OrderByDescending(m => m.AssessedAt).ThenByDescending(m => m.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (newest is null || newest.Id != materialityAssessmentId)
        {
            return Outcome<TierDecision>.From(Outcome.Invalid(nameof(OverrideTierRequest.MaterialityAssessmentId),
                "Only the newest materiality assessment of this supplier can be accepted; reload the page to see it."));
        }

        var decision = Decide(supplier, newest.ProposedTier, TierDecisionSource.Proposal, null, decidedBy, newest.Id, newest.PolicyVersion);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TierDecision>.From(Outcome.Conflict("The supplier changed while you were deciding; reload and try again."));
        }

        await SignalTierAsync(supplier.Id, cancellationToken);
        return Outcome<TierDecision>.Ok(decision);
    }

    public async Task<Outcome<TierDecision>> OverrideAsync(OverrideTierRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var justification = request.Justification?.Trim();
        if (!Enum.IsDefined(request.Tier))
        {
            return Outcome<TierDecision>.From(Outcome.Invalid(nameof(request.Tier), "Choose Tier 1, Tier 2, Tier 3 or Excluded."));
        }

        // An override departs from the policy's proposal, and an exclusion removes all controls: both need a reason on record.
        if (justification is null || justification.Length < MinJustificationLength)
        {
            var message = request.Tier == SupplierTier.Excluded
                ? $"Excluding a supplier needs a justification of at least {MinJustificationLength} characters."
                : $"Say why the tier differs from the proposal, in at least {MinJustificationLength} characters.";
            return Outcome<TierDecision>.From(Outcome.Invalid(nameof(request.Justification), message));
        }

        if (justification.Length > 2000)
        {
            return Outcome<TierDecision>.From(Outcome.Invalid(nameof(request.Justification), "Keep the justification under 2000 characters."));
        }

        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == request.SupplierId, cancellationToken);
        if (supplier is null)
        {
            return Outcome<TierDecision>.From(Outcome.NotFound());
        }

        if (request.MaterialityAssessmentId is { } id && !await db.MaterialityAssessments.AnyAsync(m => m.Id == id && m.SupplierId == supplier.Id, cancellationToken))
        {
            return Outcome<TierDecision>.From(Outcome.Invalid(nameof(request.MaterialityAssessmentId), "That materiality assessment does not belong to this supplier."));
        }

        var policy = await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var decision = Decide(supplier, request.Tier, TierDecisionSource.Override, justification, request.DecidedBy, request.MaterialityAssessmentId, policy.Version);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TierDecision>.From(Outcome.Conflict("The supplier changed while you were deciding; reload and try again."));
        }

        await SignalTierAsync(supplier.Id, cancellationToken);
        return Outcome<TierDecision>.Ok(decision);
    }

    /// <summary>The supplier's tier history, newest first.</summary>
    public Task<List<TierDecision>> HistoryAsync(Guid supplierId, CancellationToken cancellationToken) =>
        db.TierDecisions.AsNoTracking().Where(d => d.SupplierId == supplierId).OrderByDescending(d => d.DecidedAt).ThenByDescending(d => d.Id).ToListAsync(cancellationToken);

    // After the commit: the onboarding workflow waiting for the tier goes on (see IOnboardingSignals).
    private Task SignalTierAsync(Guid supplierId, CancellationToken cancellationToken) =>
        onboarding?.MilestoneReachedAsync(supplierId, Onboarding.OnboardingMilestone.TierDecided, null, cancellationToken) ?? Task.CompletedTask;

    private TierDecision Decide(Supplier supplier, SupplierTier tier, TierDecisionSource source, string? justification, Guid? by, Guid? materialityId, int policyVersion)
    {
        var decision = new TierDecision
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            Tier = tier,
            PreviousTier = supplier.Tier,
            Source = source,
            Justification = justification,
            MaterialityAssessmentId = materialityId,
            PolicyVersion = policyVersion,
            DecidedAt = clock.GetUtcNow(),
            DecidedBy = by,
        };
        db.TierDecisions.Add(decision);
        supplier.Tier = tier;
        return decision;
    }
}
