using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Scalar.AspNetCore;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Features.Dashboard;

namespace SupplierAssure.Portal.Api;

/// <summary>OAuth scopes and audience of the procurement REST API.</summary>
public static class ApiScopes
{
    public const string ProcurementRead = "procurement.read";
    public const string Audience = "supplierassure-api";
    public const string Policy = "ProcurementApiRead";
    public const string ProcurementWrite = "procurement.write";
    public const string WritePolicy = "ProcurementApiWrite";
}

public static class ApiExtensions
{
    /// <summary>
    /// The REST API under /api/v1 for procurement systems: bearer tokens from our own token server, validated in
    /// process against the server's keys and the API audience; an OpenAPI document at /openapi/v1.json.
    /// </summary>
    public static IHostApplicationBuilder AddPortalApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenIddict()
            .AddServer(o => o.RegisterScopes(ApiScopes.ProcurementRead, ApiScopes.ProcurementWrite))
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.AddAudiences(ApiScopes.Audience);
                o.UseAspNetCore();
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(ApiScopes.Policy, p => p
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => ctx.User.HasScope(ApiScopes.ProcurementRead)))
            .AddPolicy(ApiScopes.WritePolicy, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(ctx => ctx.User.HasScope(ApiScopes.ProcurementWrite)));
        builder.Services.AddOpenApi("v1");
        builder.Services.AddHostedService<ApiClientRegistration>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // The interactive reference for the same document at /api/docs/v1 (Scalar's assets are served from the
        // package, nothing from a CDN); its content security policy is in SecurityHeadersExtensions.
        app.MapScalarApiReference(Extensions.SecurityHeadersExtensions.ApiReferencePath, o => o
            .WithTitle("SupplierAssure procurement API")
            .DisableDefaultFonts()
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();

        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiScopes.Policy)
            .DisableAntiforgery()
            .WithTags("Suppliers");
        api.MapGet("/suppliers", ListSuppliersAsync)
            .WithName("ListSuppliers")
            .WithSummary("The supplier portfolio, filtered, sorted and paged as on the Suppliers page.");
        api.MapGet("/suppliers/{id:guid}", GetSupplierAsync)
            .WithName("GetSupplier")
            .WithSummary("One supplier's profile and assurance position.");
        app.MapProcurementWriteApi();
        app.MapReviewsApi();
        SupplierAssure.Portal.Features.Suppliers.ImportApi.MapSupplierImportApi(app);
        SupplierAssure.Portal.Features.Suppliers.SitesApi.MapSupplierSitesApi(app);
        return app;
    }

    internal static async Task<IResult> ListSuppliersAsync(
        SupplierList suppliers,
        string? q,
        string? tier,
        string? status,
        string? risk,
        string? country,
        bool? overdue,
        string? sort,
        int? page,
        int? pageSize,
        [AsParameters] DashboardFilterParameters dashboard,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = new SupplierListQuery(
            q,
            ParseEnum<SupplierTier>(tier, "tier", errors),
            ParseEnum<AssuranceStatus>(status, "status", errors),
            ParseEnum<RiskRating>(risk, "risk", errors),
            country,
            overdue ?? false,
            ParseEnum<SupplierSort>(sort, "sort", errors) ?? SupplierSort.Name,
            page ?? 1,
            pageSize ?? SupplierList.DefaultPageSize);
        if (page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (pageSize is < 1 or > SupplierList.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {SupplierList.MaxPageSize}."];
        }

        var kpi = await dashboard.ToFilterAsync(errors, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some query parameters are not valid.");
        }

        var result = await suppliers.PageAsync(query with { Kpi = kpi }, cancellationToken);
        return TypedResults.Ok(new SupplierPageDto(
            result.Rows.Select(SupplierDto.From).ToList(),
            result.Total,
            result.Page,
            result.PageSize,
            result.PageCount));
    }

    internal static async Task<IResult> GetSupplierAsync(Guid id, SupplierList suppliers, CancellationToken cancellationToken)
    {
        var row = await suppliers.FindAsync(id, cancellationToken);
        return row is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No supplier with this id.")
            : TypedResults.Ok(SupplierDto.From(row));
    }

    /// <summary>Enum values by name (case-insensitive); numbers are refused so that clients cannot depend on them.</summary>
    internal static T? ParseEnum<T>(string? value, string field, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // Names only: Enum.TryParse would also take "7" or "1,2", values the filter does not define.
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is not null)
        {
            return Enum.Parse<T>(name);
        }

        errors[field] = [$"Use one of: {string.Join(", ", Enum.GetNames<T>())}."];
        return null;
    }
}

public sealed record SupplierPageDto(IReadOnlyList<SupplierDto> Items, int Total, int Page, int PageSize, int PageCount);

public sealed record SupplierDto(
    Guid Id,
    string LegalName,
    string CountryCode,
    string? Lei,
    string Tier,
    string AssuranceStatus,
    decimal? OverallScore,
    string RiskRating,
    DateTimeOffset? LastAssessedAt,
    bool HasOverdueAssessment)
{
    public static SupplierDto From(SupplierListRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Id, row.LegalName, row.CountryCode, row.Lei, row.Tier.ToString(), row.AssuranceStatus.ToString(),
            row.OverallScore, row.RiskRating.ToString(), row.LastAssessedAt, row.HasOverdueAssessment);
    }
}
