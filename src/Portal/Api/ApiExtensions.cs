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

    /// <summary>Residual-risk sign-off, for a client registered as acting for a risk owner (see <see cref="RiskAcceptanceApi"/>).</summary>
    public const string RiskSignOff = "risk.signoff";
    public const string RiskSignOffPolicy = "RiskSignOffApi";
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
            .AddServer(o => o.RegisterScopes(ApiScopes.ProcurementRead, ApiScopes.ProcurementWrite, ApiScopes.RiskSignOff))
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
                .RequireAssertion(ctx => ctx.User.HasScope(ApiScopes.ProcurementWrite)))
            .AddPolicy(ApiScopes.RiskSignOffPolicy, p => p
                .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(ctx => ctx.User.HasScope(ApiScopes.RiskSignOff)));
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
            .WithSummary("The supplier portfolio, filtered, sorted and paged as on the Suppliers page.")
            .Produces<SupplierPageDto>()
            .ProducesValidationProblem();
        api.MapGet("/suppliers/export", ExportSuppliersAsync)
            .WithName("ExportSuppliers")
            .WithSummary("The filtered, sorted supplier list as a file, as the Suppliers page exports it: format=csv or format=xlsx, and the list's filters (page and pageSize are ignored; at most 50,000 rows).")
            .Produces(StatusCodes.Status200OK, contentType: Features.Suppliers.SupplierExport.CsvContentType)
            .Produces(StatusCodes.Status200OK, contentType: Features.Suppliers.SupplierExport.XlsxContentType)
            .ProducesValidationProblem();
        api.MapGet("/suppliers/{id:guid}", SupplierProfileApi.GetProfileAsync)
            .WithName("GetSupplier")
            .WithSummary("One supplier's profile as the supplier page shows it: identifiers, sites, contacts, tier history with reasons, assessments, score trend, findings, corrective actions, audits, incidents, credentials, sharing consents and the first page of the timeline.")
            .Produces<SupplierProfileDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/suppliers/{id:guid}/timeline", SupplierProfileApi.GetTimelineAsync)
            .WithName("GetSupplierTimeline")
            .WithSummary("The supplier's timeline from the audit log, newest first, paged like the supplier list.")
            .Produces<TimelinePageDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapProcurementWriteApi();
        app.MapReviewsApi();
        app.MapRiskAcceptanceApi();
        SupplierAssure.Portal.Features.Suppliers.ImportApi.MapSupplierImportApi(app);
        SupplierAssure.Portal.Features.Suppliers.SitesApi.MapSupplierSitesApi(app);
        return app;
    }

    internal static async Task<IResult> ListSuppliersAsync(
        SupplierList suppliers,
        [AsParameters] SupplierListParameters parameters,
        [AsParameters] DashboardFilterParameters dashboard,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var query = await parameters.ToQueryAsync(dashboard, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some query parameters are not valid.");
        }

        var result = await suppliers.PageAsync(query, cancellationToken);
        return TypedResults.Ok(new SupplierPageDto(
            result.Rows.Select(SupplierDto.From).ToList(),
            result.Total,
            result.Page,
            result.PageSize,
            result.PageCount));
    }

    // Note: the format is a query parameter, not content negotiation on Accept: an export link can then be shared and
    // opened as is, and a client that sends Accept: application/json still gets its errors as problem details.
    internal static async Task<IResult> ExportSuppliersAsync(
        string? format,
        SupplierList suppliers,
        TimeProvider clock,
        [AsParameters] SupplierListParameters parameters,
        [AsParameters] DashboardFilterParameters dashboard,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var chosen = Features.Suppliers.SupplierExport.ParseFormat(format);
        if (chosen is null)
        {
            errors["format"] = ["Use format=csv or format=xlsx."];
        }

        var query = await parameters.ToQueryAsync(dashboard, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some query parameters are not valid.");
        }

        var file = await Features.Suppliers.SupplierExport.CreateAsync(suppliers, query, chosen!.Value, clock, cancellationToken);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
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

/// <summary>The supplier list's own query parameters, the same names as the Suppliers page's.</summary>
/// <param name="Q">Name contains, or an identifier (LEI, DUNS, EORI, VAT) matches exactly.</param>
/// <param name="Tier">Tier1Critical, Tier2Important or Tier3Standard.</param>
/// <param name="Status">The assurance status (state) of the supplier.</param>
/// <param name="Risk">The risk rating.</param>
/// <param name="Country">ISO 3166 alpha-2 code.</param>
/// <param name="Overdue">Only suppliers with a questionnaire past its due date.</param>
/// <param name="Sort">Name, NameDescending, Score, ScoreDescending, LastAssessed, LastAssessedDescending, Risk, RiskDescending.</param>
public sealed class SupplierListParameters
{
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "q")]
    public string? Q { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "tier")]
    public string? Tier { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "status")]
    public string? Status { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "risk")]
    public string? Risk { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "country")]
    public string? Country { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "overdue")]
    public bool? Overdue { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "sort")]
    public string? Sort { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")]
    public int? Page { get; init; }
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    internal async Task<SupplierListQuery> ToQueryAsync(DashboardFilterParameters dashboard, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var query = new SupplierListQuery(
            Q,
            ApiExtensions.ParseEnum<SupplierTier>(Tier, "tier", errors),
            ApiExtensions.ParseEnum<AssuranceStatus>(Status, "status", errors),
            ApiExtensions.ParseEnum<RiskRating>(Risk, "risk", errors),
            Country,
            Overdue ?? false,
            ApiExtensions.ParseEnum<SupplierSort>(Sort, "sort", errors) ?? SupplierSort.Name,
            Page ?? 1,
            PageSize ?? SupplierList.DefaultPageSize);
        if (Page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (PageSize is < 1 or > SupplierList.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {SupplierList.MaxPageSize}."];
        }

        return query with { Kpi = await dashboard.ToFilterAsync(errors, cancellationToken) };
    }
}
