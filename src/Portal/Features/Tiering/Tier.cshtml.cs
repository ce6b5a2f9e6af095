using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Tiering;

/// <summary>The materiality factors as the form posts them; null where a factor was left unrated.</summary>
public sealed class FactorsInput
{
    public FactorLevel? ValueAtRisk { get; set; }
    public FactorLevel? ThreatExposure { get; set; }
    public FactorLevel? DisruptionConsequence { get; set; }
    public FactorLevel? RegulatorySensitivity { get; set; }
    public FactorLevel? SubstitutionDifficulty { get; set; }
    public bool HighValue { get; set; }
    public bool Hazardous { get; set; }
    public bool Controlled { get; set; }

    public FactorLevel? this[string field] => field switch
    {
        nameof(ValueAtRisk) => ValueAtRisk,
        nameof(ThreatExposure) => ThreatExposure,
        nameof(DisruptionConsequence) => DisruptionConsequence,
        nameof(RegulatorySensitivity) => RegulatorySensitivity,
        nameof(SubstitutionDifficulty) => SubstitutionDifficulty,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a materiality factor."),
    };

    public bool Has(SpecialCargo flag) => flag switch
    {
        SpecialCargo.HighValue => HighValue,
        SpecialCargo.Hazardous => Hazardous,
        SpecialCargo.Controlled => Controlled,
        _ => false,
    };

    public static FactorsInput From(MaterialityFactors f) => new()
    {
        ValueAtRisk = f.ValueAtRisk,
        ThreatExposure = f.ThreatExposure,
        DisruptionConsequence = f.DisruptionConsequence,
        RegulatorySensitivity = f.RegulatorySensitivity,
        SubstitutionDifficulty = f.SubstitutionDifficulty,
        HighValue = f.SpecialCargo.HasFlag(SpecialCargo.HighValue),
        Hazardous = f.SpecialCargo.HasFlag(SpecialCargo.Hazardous),
        Controlled = f.SpecialCargo.HasFlag(SpecialCargo.Controlled),
    };
}

/// <summary>One row of the tier history: the decision, the proposal it answered (if any) and who made it.</summary>
public sealed record TierHistoryRow(TierDecision Decision, MaterialityAssessment? Proposal, string DecidedBy);

/// <summary>Audit log kinds of the tiering screens.</summary>
public static class TieringAuditKinds
{
    public const string MaterialityAssessed = "tier.materiality-assessed";
    public const string ProposalAccepted = "tier.proposal-accepted";
    public const string Overridden = "tier.overridden";
    public const string PolicyPublished = "tier-policy.published";
}

/// <summary>
/// A supplier's tier for procurement and administrators: rate the materiality factors, see the proposed tier and the
/// reasons behind it, accept it or override it with a justification, and read the tier history. The rules (what a
/// justification needs, which proposal may be accepted) live in <see cref="ClassifySupplierHandler"/>; this page shows
/// its messages next to the fields. Every change is written to the hash-chained audit log.
/// </summary>
[Authorize(Roles = Roles.ProcurementManager + "," + Roles.Administrator)]
public sealed class TierModel(SupplierAssureDbContext db, ClassifySupplierHandler classify, TierPolicyStore policies, PortalAudit audit) : PageModel
{
    public Supplier Supplier { get; private set; } = null!;
    public TierPolicy Policy { get; private set; } = TierPolicy.Default;
    public MaterialityAssessment? Latest { get; private set; }
    public string? LatestAssessedBy { get; private set; }
    /// <summary>True when a decision already answered the newest proposal, so only an override is offered.</summary>
    public bool LatestDecided { get; private set; }
    public IReadOnlyList<TierHistoryRow> History { get; private set; } = [];
    /// <summary>The supplier's newest scored assessment, for the link to its score and readiness page.</summary>
    public Assessment? LatestScored { get; private set; }

    [BindProperty]
    public FactorsInput Factors { get; set; } = new();

    [BindProperty]
    public Guid? MaterialityAssessmentId { get; set; }

    [BindProperty]
    public SupplierTier? OverrideTier { get; set; }

    [BindProperty]
    public string? Justification { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Latest is not null)
        {
            Factors = FactorsInput.From(Latest.Factors);
        }

        return Page();
    }

    /// <summary>Records a materiality assessment and shows its proposal; the tier changes only when a person accepts it.</summary>
    public async Task<IActionResult> OnPostAssessAsync(Guid id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        foreach (var factor in TieringText.Factors.Where(f => Factors[f.Field] is null))
        {
            ModelState.AddModelError($"{nameof(Factors)}.{factor.Field}", $"Rate {factor.Label.ToLowerInvariant()} from negligible to severe.");
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync(id, cancellationToken);
        }

        var cargo = TieringText.Cargo.Where(c => Factors.Has(c.Flag)).Aggregate(SpecialCargo.None, (all, c) => all | c.Flag);
        var factors = new MaterialityFactors(Factors.ValueAtRisk!.Value, Factors.ThreatExposure!.Value, Factors.DisruptionConsequence!.Value,
            Factors.RegulatorySensitivity!.Value, Factors.SubstitutionDifficulty!.Value, cargo);
        var outcome = await classify.AssessAsync(new AssessMaterialityRequest(id, factors, UserId, AcceptProposal: false), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            AddErrors(outcome, nameof(Factors));
            return await RedisplayAsync(id, cancellationToken);
        }

        var assessment = outcome.Value!;
        await audit.RecordAsync(TieringAuditKinds.MaterialityAssessed, Subject(id), id, cancellationToken,
            string.Create(CultureInfo.InvariantCulture, $"Proposed {assessment.ProposedTier} ({assessment.Points} points, tier policy version {assessment.PolicyVersion}): {assessment.Reasons.Replace('\n', ' ')}"));
        Message = $"Proposed tier: {Display.Tier(assessment.ProposedTier)}. Accept it or override it below.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (MaterialityAssessmentId is not { } assessmentId)
        {
            ModelState.AddModelError(nameof(MaterialityAssessmentId), "There is no proposal to accept; rate the materiality factors first.");
            return await RedisplayAsync(id, cancellationToken);
        }

        var outcome = await classify.AcceptProposalAsync(id, assessmentId, UserId, cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            AddErrors(outcome, nameof(MaterialityAssessmentId));
            return await RedisplayAsync(id, cancellationToken);
        }

        var decision = outcome.Value!;
        await audit.RecordAsync(TieringAuditKinds.ProposalAccepted, Subject(id), id, cancellationToken,
            string.Create(CultureInfo.InvariantCulture, $"{decision.PreviousTier} -> {decision.Tier}, proposal of materiality assessment {assessmentId:D} accepted (tier policy version {decision.PolicyVersion})."));
        Message = $"Tier set to {Display.Tier(decision.Tier)} as proposed.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostOverrideAsync(Guid id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (OverrideTier is not { } tier)
        {
            ModelState.AddModelError(nameof(OverrideTier), "Choose Tier 1, Tier 2, Tier 3 or Excluded.");
            return await RedisplayAsync(id, cancellationToken);
        }

        var outcome = await classify.OverrideAsync(new OverrideTierRequest(id, tier, Justification, UserId, MaterialityAssessmentId), cancellationToken);
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            AddErrors(outcome, nameof(Justification));
            return await RedisplayAsync(id, cancellationToken);
        }

        var decision = outcome.Value!;
        await audit.RecordAsync(TieringAuditKinds.Overridden, Subject(id), id, cancellationToken,
            $"{decision.PreviousTier} -> {decision.Tier} by override. Justification: {decision.Justification}");
        Message = $"Tier set to {Display.Tier(decision.Tier)} by override.";
        return RedirectToPage(new { id });
    }

    private Guid? UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : null;

    private static string Subject(Guid supplierId) => $"supplier:{supplierId:D}";

    /// <summary>The handler's messages under the page's field names, so each shows next to its field.</summary>
    private void AddErrors(Outcome outcome, string fallbackField)
    {
        foreach (var (field, messages) in outcome.Errors)
        {
            var key = field switch
            {
                nameof(OverrideTierRequest.Tier) => nameof(OverrideTier),
                nameof(OverrideTierRequest.Justification) => nameof(Justification),
                nameof(OverrideTierRequest.MaterialityAssessmentId) => nameof(MaterialityAssessmentId),
                "" => string.Empty,
                _ => fallbackField,
            };
            foreach (var message in messages)
            {
                ModelState.AddModelError(key, message);
            }
        }
    }

    private async Task<IActionResult> RedisplayAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var supplier = await db.Suppliers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (supplier is null)
        {
            return false;
        }

        Supplier = supplier;
        Policy = await policies.CurrentAsync(cancellationToken);
        Latest = await db.MaterialityAssessments.AsNoTracking()
            .Where(m => m.SupplierId == id)
            .OrderByDescending(m => m.AssessedAt).ThenByDescending(m => m.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var decisions = await classify.HistoryAsync(id, cancellationToken);
        var proposalIds = decisions.Where(d => d.MaterialityAssessmentId is not null).Select(d => d.MaterialityAssessmentId!.Value).Distinct().ToList();
        var proposals = await db.MaterialityAssessments.AsNoTracking()
            .Where(m => proposalIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var userIds = decisions.Select(d => d.DecidedBy).Append(Latest?.AssessedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => string.IsNullOrEmpty(u.Email) ? u.DisplayName : $"{u.DisplayName} ({u.Email})", cancellationToken);
        string Who(Guid? userId) => userId is { } uid ? names.GetValueOrDefault(uid, "a removed user") : "the system";

        History = decisions
            .Select(d => new TierHistoryRow(d, d.MaterialityAssessmentId is { } m ? proposals.GetValueOrDefault(m) : null, Who(d.DecidedBy)))
            .ToList();
        LatestAssessedBy = Latest is null ? null : Who(Latest.AssessedBy);
        LatestDecided = Latest is not null && decisions.Any(d => d.MaterialityAssessmentId == Latest.Id);
        LatestScored = await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == id && a.ScoredAt != null)
            .OrderByDescending(a => a.ScoredAt)
            .FirstOrDefaultAsync(cancellationToken);
        MaterialityAssessmentId ??= Latest?.Id;
        return true;
    }
}
