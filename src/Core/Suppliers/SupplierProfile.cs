using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Assessments;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Credentials;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Findings;
using SupplierAssure.Core.Incidents;
using SupplierAssure.Core.Remediation;
using SupplierAssure.Core.Tiering;

namespace SupplierAssure.Core.Suppliers;

public sealed record SupplierSummary(
    Guid Id,
    string LegalName,
    string CountryCode,
    string? Lei,
    string? Duns,
    string? Eori,
    string? Vat,
    SupplierTier Tier,
    SupplyChainRoles Roles,
    SupplierLifecycle Lifecycle,
    AssuranceStatus AssuranceStatus,
    decimal? OverallScore,
    int? MaturityLevel,
    RiskRating RiskRating,
    DateTimeOffset? LastAssessedAt,
    DateTimeOffset? ValidUntil);

public sealed record SupplierContact(Guid UserId, string DisplayName, string? Email, bool EmailConfirmed);

public sealed record TierHistoryEntry(
    SupplierTier Tier,
    SupplierTier? PreviousTier,
    TierDecisionSource Source,
    string? Justification,
    string? MaterialityReasons,
    int? MaterialityPoints,
    int PolicyVersion,
    DateTimeOffset DecidedAt);

public sealed record SupplierAssessmentRow(
    Guid Id,
    string TemplateTitle,
    int TemplateVersion,
    SupplierTier TierAtIssue,
    AssessmentState State,
    DateTimeOffset IssuedAt,
    DateOnly DueDate,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ScoredAt,
    decimal? OverallScore,
    int? MaturityLevel,
    RiskRating? RiskRating)
{
    public bool IsOpenForAnswers => State is AssessmentState.Issued or AssessmentState.InProgress;
}

public sealed record AssessmentFindingRow(Guid Id, Guid AssessmentId, FindingSource Source, NonconformityGrade Grade, string? Reference, string Summary, DateOnly? DueDate, AssessmentFindingState State, DateTimeOffset RaisedAt);

/// <summary>A corrective action (remediation case) and the deadline of the stage it is in.</summary>
public sealed record CorrectiveActionRow(Guid Id, Guid AssessmentId, NonconformityGrade Grade, string FindingSummary, RemediationState State, DateTimeOffset? DueAt, int Round)
{
    public bool IsLateAt(DateTimeOffset now) => DueAt is { } due && due < now;

    /// <summary>Whether the supplier acts next (planning or implementing) rather than the operator (verifying).</summary>
    public bool SupplierActs => State is RemediationState.ActionPlanDue or RemediationState.ImplementationDue;

    public static DateTimeOffset? DueOf(RemediationState state, DateTimeOffset plan, DateTimeOffset implementation, DateTimeOffset? verification) => state switch
    {
        RemediationState.ActionPlanDue => plan,
        RemediationState.ImplementationDue => implementation,
        RemediationState.VerificationDue => verification,
        _ => null,
    };
}

public sealed record IncidentFindingRow(Guid Id, IncidentCategory Category, FindingGrade Grade, FindingState State, string Summary, string? ShipmentReference, DateTimeOffset OccurredAt, string ReportedBy);

public sealed record CredentialRow(Guid Id, CredentialType Type, string Number, string? Level, string? Issuer, DateTimeOffset? ValidUntil, VerificationState VerificationState, DateTimeOffset? VerifiedAt, string? VerificationSource);

public sealed record ConsentRow(Guid Id, string PartnerClientId, string Scope, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Live);

public sealed record TimelineEntry(long Sequence, DateTimeOffset OccurredAt, string Kind, string? Actor, string? Subject, string? Details);

/// <summary>One page of a supplier's timeline, newest first.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Everything the supplier page shows about one supplier, each section read by one query.</summary>
public sealed record SupplierProfile(
    SupplierSummary Supplier,
    IReadOnlyList<SupplierContact> Contacts,
    IReadOnlyList<TierHistoryEntry> TierHistory,
    IReadOnlyList<SupplierAssessmentRow> Assessments,
    IReadOnlyList<AssessmentFindingRow> AssessmentFindings,
    IReadOnlyList<CorrectiveActionRow> CorrectiveActions,
    IReadOnlyList<IncidentFindingRow> Incidents,
    IReadOnlyList<CredentialRow> Credentials,
    IReadOnlyList<ConsentRow> Consents,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<SupplierSiteRow> Sites,
    IReadOnlyList<SupplierAuditRow> Audits);

/// <summary>
/// Reads a supplier's page: one projection per section, untracked, bounded, so the page costs the same number of
/// queries (eleven) whatever the supplier has. Runs on the tenant-scoped context, so a caller who may not see the
/// supplier gets null, exactly as for an id that does not exist.
/// </summary>
public sealed class SupplierProfileQuery(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>How many of the newest audit-log entries the timeline shows.</summary>
    public const int TimelineLength = 200;

    /// <summary>How many of the newest findings of each kind the page lists.</summary>
    public const int FindingLimit = 500;

    public async Task<SupplierProfile?> LoadAsync(Guid supplierId, CancellationToken cancellationToken)
    {
        var supplier = await db.Suppliers.AsNoTracking()
            .Where(s => s.Id == supplierId)
            .Select(s => new SupplierSummary(s.Id, s.LegalName, s.CountryCode, s.Lei, s.Duns, s.Eori, s.Vat, s.Tier, s.Roles, s.Lifecycle,
                s.AssuranceStatus, s.OverallScore, s.MaturityLevel, s.RiskRating, s.LastAssessedAt, s.ValidUntil))
            .SingleOrDefaultAsync(cancellationToken);
        if (supplier is null)
        {
            return null;
        }

        var contacts = await ContactsAsync(supplierId, cancellationToken);

        var tierHistory = await db.TierDecisions.AsNoTracking()
            .Where(d => d.SupplierId == supplierId)
            .OrderByDescending(d => d.DecidedAt)
            .Select(d => new TierHistoryEntry(
                d.Tier, d.PreviousTier, d.Source, d.Justification,
                db.MaterialityAssessments.Where(m => m.Id == d.MaterialityAssessmentId).Select(m => m.Reasons).FirstOrDefault(),
                db.MaterialityAssessments.Where(m => m.Id == d.MaterialityAssessmentId).Select(m => (int?)m.Points).FirstOrDefault(),
                d.PolicyVersion, d.DecidedAt))
            .ToListAsync(cancellationToken);

        var assessments = await db.Assessments.AsNoTracking()
            .Where(a => a.SupplierId == supplierId)
            .OrderByDescending(a => a.IssuedAt)
            .Select(a => new SupplierAssessmentRow(a.Id, a.Template!.Title, a.Template.Version, a.TierAtIssue, a.State, a.IssuedAt, a.DueDate,
                a.SubmittedAt, a.ScoredAt, a.OverallScore, a.MaturityLevel, a.RiskRating))
            .ToListAsync(cancellationToken);

        var findings = await db.Set<AssessmentFinding>().AsNoTracking()
            .Where(f => f.SupplierId == supplierId)
            .OrderBy(f => f.State).ThenBy(f => f.Grade).ThenByDescending(f => f.RaisedAt)
            .Take(FindingLimit)
            .Select(f => new AssessmentFindingRow(f.Id, f.AssessmentId, f.Source, f.Grade, f.Reference, f.Summary, f.DueDate, f.State, f.RaisedAt))
            .ToListAsync(cancellationToken);

        var actions = await CorrectiveActionsAsync(db.Set<RemediationCase>().Where(r => r.SupplierId == supplierId), cancellationToken);

        var incidents = await db.Findings.AsNoTracking()
            .Where(f => f.SupplierId == supplierId)
            .OrderByDescending(f => f.ReportedAt)
            .Take(FindingLimit)
            .Select(f => new IncidentFindingRow(f.Id, f.Category, f.Grade, f.State, f.Summary, f.ShipmentReference, f.OccurredAt, f.ReportedBy))
            .ToListAsync(cancellationToken);

        var credentials = await db.Credentials.AsNoTracking()
            .Where(c => c.SupplierId == supplierId)
            .OrderBy(c => c.Type).ThenByDescending(c => c.SubmittedAt)
            .Select(c => new CredentialRow(c.Id, c.Type, c.Number, c.Level, c.Issuer, c.ValidUntil, c.VerificationState, c.VerifiedAt, c.VerificationSource))
            .ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var consents = await db.SharingConsents.AsNoTracking()
            .Where(c => c.SupplierId == supplierId)
            .OrderByDescending(c => c.GrantedAt)
            .Select(c => new ConsentRow(c.Id, c.PartnerClientId, c.Scope, c.GrantedAt, c.ExpiresAt, c.RevokedAt,
                c.RevokedAt == null && (c.ExpiresAt == null || c.ExpiresAt > now)))
            .ToListAsync(cancellationToken);

        var sites = await SupplierProfileSections.SitesAsync(db, supplierId, cancellationToken);
        var audits = await SupplierProfileSections.AuditsAsync(db, supplierId, cancellationToken);

        var timeline = await TimelineAsync(supplierId, 0, TimelineLength, cancellationToken);

        return new SupplierProfile(supplier, contacts, tierHistory, assessments, findings, actions, incidents, credentials, consents, timeline, sites, audits);
    }

    /// <summary>
    /// The supplier's audit-log entries, newest first, from <paramref name="skip"/> on. The audit log is not
    /// supplier-owned (it has no tenant filter): callers check first that the supplier is visible to them (the page
    /// and <see cref="TimelinePageAsync"/> do, through the tenant-scoped supplier set).
    /// </summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(Guid supplierId, int skip, int take, CancellationToken cancellationToken) =>
        await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.SupplierId == supplierId)
            .OrderByDescending(e => e.Sequence)
            .Skip(skip)
            .Take(take)
            .Select(e => new TimelineEntry(e.Sequence, e.OccurredAt, e.Kind, e.Actor, e.Subject, e.Details))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// One page of the timeline with the total count, or null when the supplier does not exist or the caller may not
    /// see it (the same answer, as for <see cref="LoadAsync"/>).
    /// </summary>
    public async Task<TimelinePage?> TimelinePageAsync(Guid supplierId, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (!await db.Suppliers.AsNoTracking().AnyAsync(s => s.Id == supplierId, cancellationToken))
        {
            return null;
        }

        var total = await db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.SupplierId == supplierId, cancellationToken);
        var entries = await TimelineAsync(supplierId, (page - 1) * pageSize, pageSize, cancellationToken);
        return new TimelinePage(entries, total, page, pageSize);
    }

    /// <summary>
    /// Corrective actions of <paramref name="cases"/>, open ones first by their current deadline, then closed ones; one
    /// query with the finding's summary as a subquery. Shared with the supplier's start page.
    /// </summary>
    public async Task<IReadOnlyList<CorrectiveActionRow>> CorrectiveActionsAsync(IQueryable<RemediationCase> cases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var rows = await cases.AsNoTracking()
            .OrderBy(r => r.State == RemediationState.Closed).ThenByDescending(r => r.OpenedAt)
            .Take(FindingLimit)
            .Select(r => new
            {
                r.Id, r.AssessmentId, r.Grade, r.State, r.ActionPlanDueAt, r.ImplementationDueAt, r.VerificationDueAt, r.Round,
                Summary = db.Set<AssessmentFinding>().Where(f => f.Id == r.FindingId).Select(f => f.Summary).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new CorrectiveActionRow(r.Id, r.AssessmentId, r.Grade, r.Summary ?? "(finding not found)", r.State,
                CorrectiveActionRow.DueOf(r.State, r.ActionPlanDueAt, r.ImplementationDueAt, r.VerificationDueAt), r.Round))
            .OrderBy(r => r.State == RemediationState.Closed).ThenBy(r => r.DueAt)
            .ToList();
    }

    /// <summary>The supplier's user accounts: the people a questionnaire can be sent to.</summary>
    public async Task<IReadOnlyList<SupplierContact>> ContactsAsync(Guid supplierId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking()
            .Where(u => u.SupplierId == supplierId)
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new SupplierContact(u.Id, u.DisplayName, u.Email, u.EmailConfirmed))
            .ToListAsync(cancellationToken);
}
