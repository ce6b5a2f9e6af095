using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>One point of the score trend, already placed in the chart's coordinates.</summary>
public sealed record TrendPoint(double X, double Y, decimal Score, string Label, Guid AssessmentId);

/// <summary>
/// The score trend across a supplier's scored assessments as coordinates for an inline SVG (the CSP allows no
/// script and no inline style, so the chart is plain markup with presentation attributes).
/// </summary>
public sealed record ScoreTrend(IReadOnlyList<TrendPoint> Points)
{
    public const double Width = 560;
    public const double Height = 220;
    public const double Left = 44;
    public const double Right = 16;
    public const double Top = 16;
    public const double Bottom = 36;

    public static double YFor(decimal score) => Top + ((double)(100m - Math.Clamp(score, 0m, 100m)) / 100d * (Height - Top - Bottom));

    /// <summary>
    /// An SVG text element (Razor reserves the &lt;text&gt; tag for itself, so it is written here); the content is
    /// HTML-encoded, the coordinates are numbers and the anchor one of our constants.
    /// </summary>
    public static IHtmlContent Label(double x, double y, string anchor, string content) =>
        new HtmlString(string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\" font-size=\"11\" fill=\"currentColor\">{HtmlEncoder.Default.Encode(content)}</text>"));

    public string Polyline => string.Join(' ', Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#}")));

    public static ScoreTrend From(IEnumerable<SupplierAssessmentRow> assessments)
    {
        var scored = assessments.Where(a => a.OverallScore is not null)
            .OrderBy(a => a.ScoredAt ?? a.IssuedAt)
            .ToList();
        var span = Width - Left - Right;
        var points = scored.Select((a, i) => new TrendPoint(
            scored.Count == 1 ? Left + (span / 2) : Left + (span * i / (scored.Count - 1)),
            YFor(a.OverallScore!.Value),
            a.OverallScore.Value,
            (a.ScoredAt ?? a.IssuedAt).UtcDateTime.ToString("MMM yyyy", CultureInfo.InvariantCulture),
            a.Id)).ToList();
        return new ScoreTrend(points);
    }
}

/// <summary>
/// The supplier page for operator staff: profile, identifiers, contacts, tier history, assessments with the score
/// trend, findings, credentials, sharing consents and the audit-log timeline.
/// </summary>
// Note: any signed-in user reaches the handler, and everyone who is not operator staff gets 404 (not 403), so a
// supplier user cannot even learn which supplier ids exist; the tenant-scoped context would also hide the rows.
[Authorize]
public sealed class DetailsModel(SupplierProfileQuery profiles, Invitations.SupplierInvitations invitations) : PageModel
{
    /// <summary>How many of the newest open invitations the contacts section lists.</summary>
    public const int InvitationLimit = 50;

    public SupplierProfile Profile { get; private set; } = null!;

    /// <summary>Invitations not yet accepted: the contacts who have no account yet, by the name they were invited under.</summary>
    public IReadOnlyList<Invitations.OpenInvitation> OpenInvitations { get; private set; } = [];

    public ScoreTrend Trend { get; private set; } = new([]);

    public bool CanIssue { get; private set; }

    /// <summary>Whether the user may open an audit's page (administrators, auditors, procurement).</summary>
    public bool CanOpenAudits { get; private set; }

    /// <summary>Whether the user may plan (lead) a new audit.</summary>
    public bool CanPlanAudit { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!IsOperatorStaff(User))
        {
            return NotFound();
        }

        var profile = await profiles.LoadAsync(id, cancellationToken);
        if (profile is null)
        {
            return NotFound();
        }

        Profile = profile;
        OpenInvitations = await invitations.OpenForSupplierAsync(id, InvitationLimit, cancellationToken);
        Trend = ScoreTrend.From(profile.Assessments);
        CanIssue = IsProcurement(User);
        CanOpenAudits = Audits.AuditAccess.CanView(User);
        CanPlanAudit = Audits.AuditAccess.CanAudit(User);
        return Page();
    }

    public static bool IsOperatorStaff(System.Security.Claims.ClaimsPrincipal user) =>
        !user.HasClaim(c => c.Type == PortalClaims.SupplierId) && Roles.OperatorStaff.Any(user.IsInRole);

    /// <summary>Who may issue questionnaires, extend due dates and send reminders.</summary>
    public static bool IsProcurement(System.Security.Claims.ClaimsPrincipal user) =>
        !user.HasClaim(c => c.Type == PortalClaims.SupplierId) && (user.IsInRole(Roles.ProcurementManager) || user.IsInRole(Roles.Administrator));
}
