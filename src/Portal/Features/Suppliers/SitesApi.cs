using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Api;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>Body of POST /api/v1/suppliers/{id}/sites and PUT /api/v1/suppliers/{id}/sites/{siteId}.</summary>
/// <param name="Function">One of Manufacturing, WarehouseDistribution, CrossDock, PortTerminal, TransportDepot, Office, Other.</param>
/// <param name="Country">Two-letter ISO 3166 code.</param>
/// <param name="Version">On PUT, the version read from the site; a site changed since then is a 409. Left out, the change is made regardless.</param>
public sealed record SiteBody(string? Name, string? Function, string? AddressLine1, string? AddressLine2, string? City, string? PostalCode, string? Country, string? Notes, long? Version = null);

/// <summary>A supplier's site as the API returns it.</summary>
public sealed record SiteDto(Guid Id, Guid SupplierId, string Name, string Function, string AddressLine1, string? AddressLine2, string City, string? PostalCode,
    string Country, string? Notes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? RetiredAt, long Version)
{
    public static SiteDto From(SupplierSiteRow s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.SupplierId, s.Name, s.Function.ToString(), s.AddressLine1, s.AddressLine2, s.City, s.PostalCode, s.CountryCode, s.Notes,
            s.CreatedAt, s.UpdatedAt, s.RetiredAt, s.Version);
    }
}

/// <summary>
/// Procurement systems maintain a supplier's sites with the procurement.write scope: POST adds one, PUT changes one,
/// DELETE retires it (kept on record, never erased). The checks and messages are the supplier page's
/// (<see cref="SiteRules"/>); problem details key them by the body's camelCase field names. The sites themselves are
/// read with the supplier's profile (GET /api/v1/suppliers/{id}).
/// </summary>
public static class SitesApi
{
    public static IEndpointRouteBuilder MapSupplierSitesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var sites = app.MapGroup("/api/v1/suppliers/{id:guid}/sites")
            .RequireAuthorization(ApiScopes.WritePolicy)
            // Bearer tokens only (the policy names the validation scheme), so no cookie ever reaches these: no CSRF.
            .DisableAntiforgery()
            .WithTags("Suppliers");
        sites.MapPost("/", CreateAsync)
            .WithName("AddSupplierSite")
            .WithSummary("Record a site of the supplier (name unique among its sites in use, function, address, ISO country); it appears on the supplier's timeline.")
            .Produces<SiteDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{siteId:guid}", UpdateAsync)
            .WithName("ChangeSupplierSite")
            .WithSummary("Change a site in use; send the version you read to refuse overwriting a change made since.")
            .Produces<SiteDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapDelete("/{siteId:guid}", RetireAsync)
            .WithName("RetireSupplierSite")
            .WithSummary("Retire a site: it stays on record for the audits that named it, is no longer offered for audit scope, and its name is free again.")
            .Produces<SiteDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> CreateAsync(Guid id, SiteBody? body, SupplierSites sites, HttpContext context, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return NoBody();
        }

        var outcome = await sites.AddAsync(id, ToInput(body), ActorOf(context), cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/suppliers/{id:D}/sites/{outcome.Value!.Id:D}", SiteDto.From(outcome.Value))
            : Refusal(outcome, "The site was not added.");
    }

    internal static async Task<IResult> UpdateAsync(Guid id, Guid siteId, SiteBody? body, SupplierSites sites, HttpContext context, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return NoBody();
        }

        var outcome = await sites.UpdateAsync(id, siteId, body.Version, ToInput(body), ActorOf(context), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(SiteDto.From(outcome.Value!)) : Refusal(outcome, "The site was not changed.");
    }

    internal static async Task<IResult> RetireAsync(Guid id, Guid siteId, SupplierSites sites, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await sites.RetireAsync(id, siteId, ActorOf(context), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(SiteDto.From(outcome.Value!)) : Refusal(outcome, "The site was not retired.");
    }

    private static SiteInput ToInput(SiteBody body) =>
        new(body.Name, body.Function, body.AddressLine1, body.AddressLine2, body.City, body.PostalCode, body.Country, body.Notes);

    private static SiteActor ActorOf(HttpContext context) =>
        new(null, $"client:{context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject) ?? "unknown client"}");

    private static ValidationProblem NoBody() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send the site as a JSON object."] }, title: "No site was sent.");

    private static IResult Refusal(Outcome outcome, string title) => outcome.Status switch
    {
        OutcomeStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such supplier or site."),
        OutcomeStatus.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title,
            detail: string.Join(' ', outcome.Errors.Values.SelectMany(m => m))),
        _ => TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(e => e.Key.Length == 0 ? "body" : char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value, StringComparer.Ordinal),
            title: title),
    };
}
