using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Features.Invitations;

namespace SupplierAssure.Portal.Api;

/// <summary>A supplier's registry identifiers (stored normalised).</summary>
public sealed record SupplierIdentifiersDto(string? Lei, string? Duns, string? Eori, string? Vat);

/// <summary>A site of the supplier (retired ones carry RetiredAt).</summary>
public sealed record SupplierSiteDto(
    Guid Id, string Name, string Function, string AddressLine1, string? AddressLine2, string City, string? PostalCode, string CountryCode, string? Notes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? RetiredAt);

/// <summary>A second-party audit of the supplier: planned visit, opening and closing, lead auditor, scope, findings recorded, first report.</summary>
public sealed record SupplierAuditDto(
    Guid Id, string Type, string State, DateTimeOffset CreatedAt, DateTimeOffset? PlannedStart, DateTimeOffset? PlannedEnd, DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt, string? LeadAuditor, string? ScopeSites, string? ScopeProcesses, string? ScopeModes, int FindingCount, DateTimeOffset? ReportIssuedAt);

/// <summary>A person of the supplier's organisation with an account (a questionnaire can be sent to them).</summary>
public sealed record SupplierContactDto(Guid UserId, string DisplayName, string? Email, bool EmailConfirmed);

/// <summary>An invitation not yet accepted: a contact without an account yet.</summary>
public sealed record OpenInvitationDto(Guid Id, string? ContactName, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>One tier decision, newest first: the tier, where it came from and why.</summary>
/// <param name="Source">Materiality (the scoring rules) or Override (a person's decision, with a justification).</param>
public sealed record TierHistoryDto(
    string Tier, string? PreviousTier, string Source, string? Justification, string? MaterialityReasons, int? MaterialityPoints, int PolicyVersion, DateTimeOffset DecidedAt);

/// <summary>One questionnaire issued to the supplier, with its state, due date and score once scored.</summary>
public sealed record SupplierAssessmentDto(
    Guid Id, string Template, int TemplateVersion, string TierAtIssue, string State, DateTimeOffset IssuedAt, DateOnly DueDate,
    DateTimeOffset? SubmittedAt, DateTimeOffset? ScoredAt, decimal? OverallScore, int? MaturityLevel, string? RiskRating, bool Overdue);

/// <summary>One point of the score trend: a scored assessment, oldest first (the supplier page's chart).</summary>
public sealed record ScoreTrendPointDto(Guid AssessmentId, DateTimeOffset At, decimal Score, int? MaturityLevel);

/// <summary>A nonconformity raised in review or audit.</summary>
public sealed record SupplierFindingDto(Guid Id, Guid AssessmentId, string Source, string Grade, string? Reference, string Summary, DateOnly? DueDate, string State, DateTimeOffset RaisedAt);

/// <summary>A corrective action and the deadline of the stage it is in.</summary>
public sealed record CorrectiveActionDto(Guid Id, Guid AssessmentId, string Grade, string Finding, string State, DateTimeOffset? DueAt, int Round, bool Late);

/// <summary>A security incident a partner or the operator reported against the supplier.</summary>
public sealed record IncidentDto(Guid Id, string Category, string Grade, string State, string Summary, string? ShipmentReference, DateTimeOffset OccurredAt, string ReportedBy);

/// <summary>An AEO, C-TPAT, TAPA or ISO 28000 credential and its verification.</summary>
public sealed record CredentialDto(Guid Id, string Type, string Number, string? Level, string? Issuer, DateTimeOffset? ValidUntil, string VerificationState, DateTimeOffset? VerifiedAt, string? VerificationSource);

/// <summary>A partner's access to the supplier's assurance profile, granted by the supplier.</summary>
public sealed record SharingConsentDto(Guid Id, string PartnerClientId, string Scope, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Live);

/// <summary>One audit-log entry about the supplier.</summary>
public sealed record TimelineEntryDto(long Sequence, DateTimeOffset OccurredAt, string Kind, string? Actor, string? Subject, string? Details);

/// <summary>A page of the timeline, newest first; the same paging fields as the supplier list.</summary>
/// <param name="Next">The next page's path, or null on the last page.</param>
public sealed record TimelinePageDto(IReadOnlyList<TimelineEntryDto> Items, int Total, int Page, int PageSize, int PageCount, string? Next);

/// <summary>
/// A supplier's profile as the supplier page shows it (sites and second-party audits included), from the same query (<see cref="SupplierProfileQuery"/>); the
/// timeline is its first page, the rest at <c>/api/v1/suppliers/{id}/timeline</c>.
/// </summary>
public sealed record SupplierProfileDto(
    Guid Id,
    string LegalName,
    string CountryCode,
    SupplierIdentifiersDto Identifiers,
    IReadOnlyList<SupplierSiteDto> Sites,
    string Tier,
    IReadOnlyList<string> SupplyChainRoles,
    string Lifecycle,
    string AssuranceStatus,
    decimal? OverallScore,
    int? MaturityLevel,
    string RiskRating,
    DateTimeOffset? LastAssessedAt,
    DateTimeOffset? ValidUntil,
    IReadOnlyList<SupplierContactDto> Contacts,
    IReadOnlyList<OpenInvitationDto> OpenInvitations,
    IReadOnlyList<TierHistoryDto> TierHistory,
    IReadOnlyList<SupplierAssessmentDto> Assessments,
    IReadOnlyList<ScoreTrendPointDto> ScoreTrend,
    IReadOnlyList<SupplierFindingDto> Findings,
    IReadOnlyList<CorrectiveActionDto> CorrectiveActions,
    IReadOnlyList<SupplierAuditDto> Audits,
    IReadOnlyList<IncidentDto> Incidents,
    IReadOnlyList<CredentialDto> Credentials,
    IReadOnlyList<SharingConsentDto> SharingConsents,
    TimelinePageDto Timeline);

/// <summary>GET /api/v1/suppliers/{id} (the profile) and GET /api/v1/suppliers/{id}/timeline (paged).</summary>
public static class SupplierProfileApi
{
    public const int DefaultTimelinePageSize = 50;

    /// <summary>As many open invitations as the supplier page lists.</summary>
    private const int InvitationLimit = Features.Suppliers.DetailsModel.InvitationLimit;

    internal static async Task<IResult> GetProfileAsync(
        Guid id, SupplierProfileQuery profiles, SupplierInvitations invitations, TimeProvider clock, CancellationToken cancellationToken)
    {
        var profile = await profiles.LoadAsync(id, cancellationToken);
        if (profile is null)
        {
            return NotFound();
        }

        var open = await invitations.OpenForSupplierAsync(id, InvitationLimit, cancellationToken);
        // The profile's timeline is the newest TimelineLength entries; the first page of it is served here and its
        // total counted by the timeline endpoint's own query, so the two agree.
        var timeline = await profiles.TimelinePageAsync(id, 1, DefaultTimelinePageSize, cancellationToken);
        return timeline is null ? NotFound() : TypedResults.Ok(Dto(profile, open, timeline, clock.GetUtcNow()));
    }

    internal static async Task<IResult> GetTimelineAsync(Guid id, int? page, int? pageSize, SupplierProfileQuery profiles, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (pageSize is < 1 or > SupplierList.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {SupplierList.MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some query parameters are not valid.");
        }

        var result = await profiles.TimelinePageAsync(id, page ?? 1, pageSize ?? DefaultTimelinePageSize, cancellationToken);
        return result is null ? NotFound() : TypedResults.Ok(Dto(id, result));
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No supplier with this id.");

    internal static TimelinePageDto Dto(Guid supplierId, TimelinePage page) => new(
        page.Entries.Select(e => new TimelineEntryDto(e.Sequence, e.OccurredAt, e.Kind, e.Actor, e.Subject, e.Details)).ToList(),
        page.Total, page.Page, page.PageSize, page.PageCount,
        page.Page < page.PageCount ? $"/api/v1/suppliers/{supplierId:D}/timeline?page={page.Page + 1}&pageSize={page.PageSize}" : null);

    private static SupplierProfileDto Dto(SupplierProfile p, IReadOnlyList<OpenInvitation> invitations, TimelinePage timeline, DateTimeOffset now)
    {
        var s = p.Supplier;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new SupplierProfileDto(
            s.Id, s.LegalName, s.CountryCode, new SupplierIdentifiersDto(s.Lei, s.Duns, s.Eori, s.Vat),
            p.Sites.Select(x => new SupplierSiteDto(x.Id, x.Name, x.Function.ToString(), x.AddressLine1, x.AddressLine2, x.City, x.PostalCode, x.CountryCode,
                x.Notes, x.CreatedAt, x.UpdatedAt, x.RetiredAt)).ToList(),
            s.Tier.ToString(),
            Enum.GetValues<SupplyChainRoles>().Where(r => r != SupplyChainRoles.None && s.Roles.HasFlag(r)).Select(r => r.ToString()).ToList(),
            s.Lifecycle.ToString(), s.AssuranceStatus.ToString(), s.OverallScore, s.MaturityLevel, s.RiskRating.ToString(), s.LastAssessedAt, s.ValidUntil,
            p.Contacts.Select(c => new SupplierContactDto(c.UserId, c.DisplayName, c.Email, c.EmailConfirmed)).ToList(),
            invitations.Select(i => new OpenInvitationDto(i.Id, i.ContactName, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.Expired)).ToList(),
            p.TierHistory.Select(t => new TierHistoryDto(t.Tier.ToString(), t.PreviousTier?.ToString(), t.Source.ToString(), t.Justification,
                t.MaterialityReasons, t.MaterialityPoints, t.PolicyVersion, t.DecidedAt)).ToList(),
            p.Assessments.Select(a => new SupplierAssessmentDto(a.Id, a.TemplateTitle, a.TemplateVersion, a.TierAtIssue.ToString(), a.State.ToString(),
                a.IssuedAt, a.DueDate, a.SubmittedAt, a.ScoredAt, a.OverallScore, a.MaturityLevel, a.RiskRating?.ToString(),
                a.IsOpenForAnswers && a.DueDate < today)).ToList(),
            // The page's chart: scored assessments, oldest first by when they were scored.
            p.Assessments.Where(a => a.OverallScore is not null).OrderBy(a => a.ScoredAt ?? a.IssuedAt)
                .Select(a => new ScoreTrendPointDto(a.Id, a.ScoredAt ?? a.IssuedAt, a.OverallScore!.Value, a.MaturityLevel)).ToList(),
            p.AssessmentFindings.Select(f => new SupplierFindingDto(f.Id, f.AssessmentId, f.Source.ToString(), f.Grade.ToString(), f.Reference, f.Summary,
                f.DueDate, f.State.ToString(), f.RaisedAt)).ToList(),
            p.CorrectiveActions.Select(c => new CorrectiveActionDto(c.Id, c.AssessmentId, c.Grade.ToString(), c.FindingSummary, c.State.ToString(), c.DueAt,
                c.Round, c.IsLateAt(now))).ToList(),
            p.Audits.Select(a => new SupplierAuditDto(a.Id, a.Type.ToString(), a.State.ToString(), a.CreatedAt, a.PlannedStart, a.PlannedEnd, a.OpenedAt,
                a.ClosedAt, a.LeadAuditor, a.ScopeSites, a.ScopeProcesses, a.ScopeModes, a.FindingCount, a.ReportIssuedAt)).ToList(),
            p.Incidents.Select(i => new IncidentDto(i.Id, i.Category.ToString(), i.Grade.ToString(), i.State.ToString(), i.Summary, i.ShipmentReference,
                i.OccurredAt, i.ReportedBy)).ToList(),
            p.Credentials.Select(c => new CredentialDto(c.Id, c.Type.ToString(), c.Number, c.Level, c.Issuer, c.ValidUntil, c.VerificationState.ToString(),
                c.VerifiedAt, c.VerificationSource)).ToList(),
            p.Consents.Select(c => new SharingConsentDto(c.Id, c.PartnerClientId, c.Scope, c.GrantedAt, c.ExpiresAt, c.RevokedAt, c.Live)).ToList(),
            Dto(s.Id, timeline));
    }
}
