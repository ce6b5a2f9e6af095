using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>One supplier in the audit programme: which audit it needs, why, by when, and any audit already open.</summary>
public sealed record ProgrammeRow(
    Guid SupplierId,
    string SupplierName,
    SupplierTier Tier,
    decimal? OverallScore,
    RiskRating RiskRating,
    AuditType SuggestedType,
    DateOnly DueOn,
    string Reason,
    DateOnly? LastAuditOn,
    Guid? OpenAuditId,
    AuditState? OpenAuditState)
{
    public bool IsDue(DateOnly today) => DueOn <= today;
}

/// <summary>
/// The audit programme: which suppliers need which kind of audit and by when. The first rule, documented in
/// docs/decisions.md: an open major nonconformity asks for a follow-up verification now; an open major or
/// critical incident, a score below <see cref="LowScore"/> or a high or critical risk rating asks for an audit now
/// (on-site where the tier validates on site, remote otherwise); otherwise the tier's validation level decides the
/// routine audit (on-site or remote) every reassessment period of the tier after the last audit held, and at once
/// when there has been none. Self-attested tiers get no routine audit; excluded, invited and offboarded suppliers
/// are not in the programme.
/// </summary>
public sealed class AuditProgrammeQuery(SupplierAssureDbContext db, TimeProvider clock)
{
    public const decimal LowScore = 50m;

    public async Task<IReadOnlyList<ProgrammeRow>> LoadAsync(CancellationToken cancellationToken)
    {
        var policy = await new TierPolicyStore(db, clock).CurrentAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var suppliers = await db.Suppliers.AsNoTracking()
            .Where(s => s.Tier != SupplierTier.Excluded && s.Lifecycle != SupplierLifecycle.Invited && s.Lifecycle != SupplierLifecycle.Offboarded)
            .Select(s => new { s.Id, s.LegalName, s.Tier, s.OverallScore, s.RiskRating })
            .ToListAsync(cancellationToken);

        // One grouped query per signal, not one per supplier.
        var openMajors = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.State == AssessmentFindingState.Open && f.Grade == NonconformityGrade.MajorNonconformity)
            .GroupBy(f => f.SupplierId)
            .Select(g => new { SupplierId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SupplierId, x => x.Count, cancellationToken);
        var incidents = await db.Findings.AsNoTracking()
            .Where(f => f.State != Incidents.FindingState.Closed && f.Grade != Incidents.FindingGrade.Minor)
            .GroupBy(f => f.SupplierId)
            .Select(g => new { SupplierId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SupplierId, x => x.Count, cancellationToken);
        var audits = await db.Set<SupplierAudit>().AsNoTracking()
            .Select(a => new { a.Id, a.SupplierId, a.State, a.VisitStart, a.FindingsReleasedAt, a.CreatedAt })
            .ToListAsync(cancellationToken);
        var held = audits.Where(a => a.FindingsReleasedAt != null)
            .GroupBy(a => a.SupplierId)
            .ToDictionary(g => g.Key, g => g.Max(a => DateOnly.FromDateTime((a.VisitStart ?? a.FindingsReleasedAt!.Value).UtcDateTime)));
        var open = audits.Where(a => a.State is not (AuditState.FindingsReleased or AuditState.Completed))
            .GroupBy(a => a.SupplierId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.CreatedAt).First());

        var rows = new List<ProgrammeRow>();
        foreach (var s in suppliers)
        {
            var rules = policy.RulesFor(s.Tier);
            var onSiteTier = rules.Validation == ValidationLevel.OnSiteAudit;
            var lastAudit = held.TryGetValue(s.Id, out var last) ? last : (DateOnly?)null;
            AuditType type;
            DateOnly due;
            string reason;
            if (openMajors.TryGetValue(s.Id, out var majors))
            {
                (type, due, reason) = (AuditType.FollowUpVerification, today, $"{majors} open major nonconformity(ies) to verify");
            }
            else if (incidents.TryGetValue(s.Id, out var incidentCount))
            {
                (type, due, reason) = (onSiteTier ? AuditType.OnSite : AuditType.Remote, today, $"{incidentCount} open major or critical security incident(s)");
            }
            else if (s.OverallScore is { } score && score < LowScore)
            {
                (type, due, reason) = (onSiteTier ? AuditType.OnSite : AuditType.Remote, today, $"score {score:0.#} is below {LowScore:0}");
            }
            else if (s.RiskRating is RiskRating.High or RiskRating.Critical)
            {
                (type, due, reason) = (onSiteTier ? AuditType.OnSite : AuditType.Remote, today, $"risk rating {s.RiskRating}");
            }
            else if (rules.Validation != ValidationLevel.SelfAttestation)
            {
                type = onSiteTier ? AuditType.OnSite : AuditType.Remote;
                due = lastAudit?.AddMonths(rules.ReassessmentMonths) ?? today;
                reason = lastAudit is null
                    ? $"{Describe(s.Tier)}: validated by {(onSiteTier ? "on-site" : "remote")} audit, none held yet"
                    : $"{Describe(s.Tier)}: every {rules.ReassessmentMonths} months since the last audit";
            }
            else
            {
                continue;
            }

            var openAudit = open.TryGetValue(s.Id, out var o) ? o : null;
            rows.Add(new ProgrammeRow(s.Id, s.LegalName, s.Tier, s.OverallScore, s.RiskRating, type, due, reason, lastAudit, openAudit?.Id, openAudit?.State));
        }

        return [.. rows.OrderBy(r => r.DueOn).ThenBy(r => r.Tier).ThenBy(r => r.SupplierName, StringComparer.Ordinal)];
    }

    private static string Describe(SupplierTier tier) => tier switch
    {
        SupplierTier.Tier1Critical => "Tier 1",
        SupplierTier.Tier2Significant => "Tier 2",
        _ => "Tier 3",
    };
}
