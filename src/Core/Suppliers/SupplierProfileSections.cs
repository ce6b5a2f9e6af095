using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.SecondPartyAudits;

namespace SupplierAssure.Core.Suppliers;

/// <summary>
/// A second-party audit of the supplier as its page lists it. Planned = the confirmed visit; held = from the opening
/// meeting (step 4 done) to the closing meeting (findings released). <see cref="FindingCount"/> counts every graded
/// finding the auditors recorded, released or not (the page is for operator staff).
/// </summary>
public sealed record SupplierAuditRow(
    Guid Id,
    AuditType Type,
    AuditState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PlannedStart,
    DateTimeOffset? PlannedEnd,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    Guid LeadAuditorId,
    string? LeadAuditor,
    string? ScopeSites,
    string? ScopeProcesses,
    string? ScopeModes,
    int FindingCount,
    DateTimeOffset? ReportIssuedAt);

/// <summary>
/// The supplier page's sites and audits sections, each one query whatever the supplier has (the audits' lead name,
/// opening meeting, findings count and first report are correlated subqueries of the same statement).
/// </summary>
public static class SupplierProfileSections
{
    /// <summary>How many of the newest audits the page lists.</summary>
    public const int AuditLimit = 200;

    /// <summary>In-use sites by name, then retired ones (bounded: a supplier has at most <see cref="SiteRules.MaxSitesInUse"/> in use).</summary>
    public static async Task<IReadOnlyList<SupplierSiteRow>> SitesAsync(SupplierAssureDbContext db, Guid supplierId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Ordered and bounded before the projection: EF cannot order by the members of a record it constructs.
        return await SupplierSites.Rows(db.Set<SupplierSite>().Where(s => s.SupplierId == supplierId)
                .OrderBy(s => s.RetiredAt != null).ThenBy(s => s.Name)
                .Take(SiteRules.MaxSitesInUse * 2))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The supplier's second-party audits, newest first.</summary>
    public static async Task<IReadOnlyList<SupplierAuditRow>> AuditsAsync(SupplierAssureDbContext db, Guid supplierId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<SupplierAudit>().AsNoTracking()
            .Where(a => a.SupplierId == supplierId)
            .OrderByDescending(a => a.CreatedAt)
            .Take(AuditLimit)
            .Select(a => new SupplierAuditRow(
                a.Id, a.Type, a.State, a.CreatedAt, a.VisitStart, a.VisitEnd,
                db.Set<AuditStep>().Where(s => s.AuditId == a.Id && s.Number == AuditSteps.OpeningMeeting).Select(s => s.CompletedAt).FirstOrDefault(),
                a.FindingsReleasedAt,
                a.LeadAuditorId,
                db.Users.Where(u => u.Id == a.LeadAuditorId).Select(u => u.DisplayName).FirstOrDefault(),
                a.ScopeSites, a.ScopeProcesses, a.ScopeModes,
                db.Set<AuditFinding>().Count(f => f.AuditId == a.Id),
                db.Set<AuditReport>().Where(r => r.AuditId == a.Id).OrderBy(r => r.Revision).Select(r => (DateTimeOffset?)r.IssuedAt).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}
