using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Reviews;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Api;

/// <summary>An approval waiting for a risk owner's sign-off.</summary>
/// <param name="ProposedBy">The reviewer's name, or the procurement system ("client:...") that proposed it.</param>
/// <param name="OpenFindings">Open nonconformities of the assessment now, by grade.</param>
public sealed record RiskAcceptanceDto(
    Guid Id, Guid AssessmentId, Guid SupplierId, string Supplier, string ProposedOutcome, string ResidualRisk, string? Reason,
    string ProposedBy, DateTimeOffset ProposedAt, string State, IReadOnlyList<ReviewFindingDto> OpenFindings);

public sealed record RiskAcceptancePageDto(IReadOnlyList<RiskAcceptanceDto> Items, int Total, int Page, int PageSize, int PageCount);

/// <summary>Body of POST /api/v1/risk-acceptances/{id}/decision.</summary>
/// <param name="Decision">accept or decline.</param>
/// <param name="Reason">Why the residual risk is (not) accepted; always needed.</param>
public sealed record RiskAcceptanceDecisionBody(string? Decision, string? Reason);

/// <summary>What the sign-off did.</summary>
/// <param name="AssessmentState">The assessment's state after the sign-off (the approval's state on acceptance; unchanged on decline).</param>
public sealed record RiskAcceptanceResultDto(
    Guid Id, Guid AssessmentId, string State, string SignedBy, string SignOffReason, DateTimeOffset SignedAt, Guid? DecisionId, string AssessmentState);

/// <summary>
/// The risk owners' sign-off for procurement systems: the pending proposals of the operator's tenant and the accept or
/// decline, through <see cref="SignOffResidualRiskHandler"/> as on /Reviews/ResidualRisk.
/// </summary>
// Note: accepting residual risk is a person's decision (the handler records who, and refuses the proposer), and our
// token server issues client-credentials tokens only. So a client needs the risk.signoff scope AND must be registered
// as acting for one named person (the application's "risk_owner_user_id" property); on every call that person must
// still hold the RiskOwner role and not be disabled, else 403. The sign-off is recorded in that person's name "via"
// the client, and a client cannot sign off a proposal it made itself.
public static class RiskAcceptanceApi
{
    /// <summary>The OpenIddict application property naming the user a risk sign-off client acts for.</summary>
    public const string RiskOwnerProperty = "risk_owner_user_id";

    public const int DefaultPageSize = 25;

    public static IEndpointRouteBuilder MapRiskAcceptanceApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Bearer tokens only (the policy names the validation scheme), so no cookie ever reaches these: no CSRF.
        var api = app.MapGroup("/api/v1/risk-acceptances")
            .RequireAuthorization(ApiScopes.RiskSignOffPolicy)
            .DisableAntiforgery()
            .WithTags("Risk acceptance");
        api.MapGet("/", ListAsync)
            .WithName("ListRiskAcceptances")
            .WithSummary("Approvals waiting for a risk owner's sign-off, oldest first, paged. Needs the risk.signoff scope and a client registered for a person with the risk-owner role.")
            .Produces<RiskAcceptancePageDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/{id:guid}/decision", DecideAsync)
            .WithName("DecideRiskAcceptance")
            .WithSummary("Accept the residual risk (the proposed approval becomes the review decision) or decline it (the assessment stays with the reviewer), with a reason.")
            .Produces<RiskAcceptanceResultDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> ListAsync(
        int? page, int? pageSize, HttpContext context, SupplierAssureDbContext db, IOpenIddictApplicationManager applications,
        UserManager<ApplicationUser> users, CancellationToken cancellationToken)
    {
        if (await RiskOwnerAsync(context, applications, users, cancellationToken) is null)
        {
            return NotARiskOwner();
        }

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

        var size = pageSize ?? DefaultPageSize;
        // The same rows as the risk owners' page: tenant-scoped proposals joined to their (visible) supplier.
        var pending = from p in db.Set<ResidualRiskAcceptance>().AsNoTracking()
                      join s in db.Suppliers.AsNoTracking() on p.SupplierId equals s.Id
                      where p.State == ResidualRiskState.Pending
                      select new { Proposal = p, s.LegalName };
        var total = await pending.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + size - 1) / size);
        var current = Math.Min(page ?? 1, pageCount);
        var rows = await pending.OrderBy(r => r.Proposal.ProposedAt).ThenBy(r => r.Proposal.Id)
            .Skip((current - 1) * size).Take(size).ToListAsync(cancellationToken);
        var assessmentIds = rows.Select(r => r.Proposal.AssessmentId).ToList();
        var findings = (await db.Set<Core.Findings.AssessmentFinding>().AsNoTracking()
                .Where(f => assessmentIds.Contains(f.AssessmentId) && f.State == Core.Findings.AssessmentFindingState.Open)
                .OrderBy(f => f.Grade).ThenBy(f => f.Reference)
                .Select(f => new { f.AssessmentId, f.Id, f.Grade, f.Reference, f.Summary, f.Source })
                .ToListAsync(cancellationToken))
            .ToLookup(f => f.AssessmentId);
        var items = rows.Select(r => new RiskAcceptanceDto(
            r.Proposal.Id, r.Proposal.AssessmentId, r.Proposal.SupplierId, r.LegalName, r.Proposal.ProposedOutcome.ToString(), r.Proposal.ResidualRisk,
            r.Proposal.ProposalReason, r.Proposal.ProposedByName ?? r.Proposal.ProposedByClient ?? "unknown", r.Proposal.ProposedAt, r.Proposal.State.ToString(),
            findings[r.Proposal.AssessmentId].Select(f => new ReviewFindingDto(f.Id, f.Grade.ToString(), f.Reference, f.Summary, f.Source.ToString())).ToList()))
            .ToList();
        return TypedResults.Ok(new RiskAcceptancePageDto(items, total, current, size, pageCount));
    }

    internal static async Task<IResult> DecideAsync(
        Guid id, RiskAcceptanceDecisionBody? body, HttpContext context, SupplierAssureDbContext db, SignOffResidualRiskHandler signOff,
        IOpenIddictApplicationManager applications, UserManager<ApplicationUser> users, CancellationToken cancellationToken)
    {
        var person = await RiskOwnerAsync(context, applications, users, cancellationToken);
        if (person is null)
        {
            return NotARiskOwner();
        }

        var decision = body?.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("accept" or "decline"))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["decision"] = ["Use accept or decline."] }, title: "The residual risk was not signed off.");
        }

        var client = "client:" + ClientIdOf(context);
        var proposedBy = await db.Set<ResidualRiskAcceptance>().AsNoTracking().Where(p => p.Id == id)
            .Select(p => new { p.ProposedByClient }).SingleOrDefaultAsync(cancellationToken);
        if (proposedBy is null)
        {
            return NotFound();
        }

        if (string.Equals(proposedBy.ProposedByClient, client, StringComparison.Ordinal))
        {
            // Segregation of duties, as the handler applies it to people: who proposed may not accept.
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The residual risk was not signed off.",
                detail: "This client proposed the approval, so the sign-off must come from elsewhere (the risk owner in the Portal or another client).");
        }

        var outcome = await signOff.HandleAsync(
            new SignOffResidualRiskRequest(id, person.Id, $"{person.DisplayName} via {client}", decision == "accept", body!.Reason), cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Status switch
            {
                OutcomeStatus.NotFound => NotFound(),
                OutcomeStatus.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The residual risk was not signed off.",
                    detail: string.Join(" ", outcome.Errors.SelectMany(e => e.Value))),
                _ => TypedResults.ValidationProblem(
                    outcome.Errors.ToDictionary(e => e.Key.Length == 0 ? "body" : char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value, StringComparer.Ordinal),
                    title: "The residual risk was not signed off."),
            };
        }

        var p = outcome.Value!;
        var state = await db.Assessments.AsNoTracking().Where(a => a.Id == p.AssessmentId).Select(a => a.State).SingleAsync(cancellationToken);
        return TypedResults.Ok(new RiskAcceptanceResultDto(p.Id, p.AssessmentId, p.State.ToString(), p.SignedByName!, p.SignOffReason!, p.SignedAt!.Value,
            p.DecisionId, state.ToString()));
    }

    /// <summary>
    /// The person the calling client acts for, when the client is registered for one and that person is, right now, an
    /// enabled operator account with the risk-owner role; otherwise null.
    /// </summary>
    private static async Task<ApplicationUser?> RiskOwnerAsync(
        HttpContext context, IOpenIddictApplicationManager applications, UserManager<ApplicationUser> users, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(ClientIdOf(context), cancellationToken);
        if (application is null)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        if (!properties.TryGetValue(RiskOwnerProperty, out var value) || value.ValueKind != JsonValueKind.String
            || !Guid.TryParse(value.GetString(), out var userId))
        {
            return null;
        }

        var user = await users.FindByIdAsync(userId.ToString("D"));
        if (user is null || user.SupplierId is not null || AccountDisabling.IsDisabled(user) || !await users.IsInRoleAsync(user, Roles.RiskOwner))
        {
            return null;
        }

        return user;
    }

    private static string ClientIdOf(HttpContext context) =>
        context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject) ?? string.Empty;

    private static IResult NotARiskOwner() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Only a risk owner may sign off residual risk.",
        detail: "This client is not registered as acting for a person who holds the risk-owner role.");

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No residual-risk proposal with this id.");
}
