using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Api;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>One line error of an import file, as the API reports it.</summary>
public sealed record ImportRowErrorDto(int Row, string Column, string Message);

/// <summary>A supplier the import created; <c>Invited</c> is false when its contact's e-mail could not be sent.</summary>
public sealed record ImportedSupplierDto(int Row, Guid Id, string LegalName, string Tier, string ContactName, string ContactEmail, bool Invited, string? Problem);

/// <summary>Body of POST /api/v1/suppliers: one supplier, checked as a line of the import file.</summary>
/// <param name="Country">Two-letter ISO 3166 code.</param>
/// <param name="Tier">"1", "2" or "3"; left out, the supplier starts in Tier 3 until classified.</param>
public sealed record OnboardSupplierBody(string? LegalName, string? Country, string? Lei, string? Duns, string? Eori, string? Vat, string? ContactName, string? ContactEmail, string? Tier);

/// <summary>Body of POST /api/v1/suppliers/{id}/invitations.</summary>
/// <param name="ContactName">The person's name, up to 200 characters, no control characters; the e-mail greets them by it.</param>
/// <param name="Email">Where the one-time link is sent.</param>
/// <param name="Role"><c>SupplierAdmin</c> (the default) or <c>SupplierContributor</c>.</param>
public sealed record InviteContactBody(string? ContactName, string? Email, string? Role);

/// <summary>An invitation sent; the link itself only goes to the contact's mailbox.</summary>
public sealed record InvitationDto(Guid Id, Guid SupplierId, string ContactName, string Email, string Role, DateTimeOffset ExpiresAt);

public sealed record ImportResultDto(int Created, IReadOnlyList<ImportedSupplierDto> Suppliers);

/// <summary>
/// POST /api/v1/suppliers/import: the bulk import of the Import suppliers page for procurement systems, with the
/// procurement.write scope. The body is the CSV itself (text/csv) or a multipart form with a <c>file</c> part.
/// POST /api/v1/suppliers/{id}/invitations: the invitation page's single invitation of one contact to an existing supplier.
/// </summary>
public static class ImportApi
{
    public static IEndpointRouteBuilder MapSupplierImportApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/v1/suppliers/import", ImportAsync)
            .RequireAuthorization(ApiScopes.WritePolicy)
            // Bearer tokens only (the policy names the validation scheme), so no cookie ever reaches this: no CSRF.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(ImportModel.MaxRequestBytes))
            .WithTags("Suppliers")
            .WithName("ImportSuppliers")
            .WithSummary("Create suppliers and invite one contact each from a CSV file; a file with any invalid line imports nothing and the problems are listed by line and column.")
            .Accepts<string>("text/csv", "multipart/form-data")
            .Produces<ImportResultDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        app.MapPost("/api/v1/suppliers", OnboardAsync)
            .RequireAuthorization(ApiScopes.WritePolicy)
            .DisableAntiforgery()
            .WithTags("Suppliers")
            .WithName("OnboardSupplier")
            .WithSummary("Create one supplier and invite its first contact as supplier admin; the checks and messages are those of a line of the import file, keyed by the body's field names.")
            .Produces<ImportedSupplierDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        app.MapPost("/api/v1/suppliers/{id:guid}/invitations", InviteAsync)
            .RequireAuthorization(ApiScopes.WritePolicy)
            .DisableAntiforgery()
            .WithTags("Suppliers")
            .WithName("InviteSupplierContact")
            .WithSummary("Invite one contact of an existing supplier by e-mail (name, address, supplier role); the one-time link goes only to that address.")
            .Produces<InvitationDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<IResult> OnboardAsync(OnboardSupplierBody? body, ImportOperations operations, HttpContext context, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["legal_name"] = body?.LegalName,
            ["country"] = body?.Country,
            ["lei"] = body?.Lei,
            ["duns"] = body?.Duns,
            ["eori"] = body?.Eori,
            ["vat"] = body?.Vat,
            ["contact_name"] = body?.ContactName,
            ["contact_email"] = body?.ContactEmail,
            ["tier"] = body?.Tier,
        };
        var client = context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject) ?? "unknown client";
        var baseUrl = IssueModel.BaseUrl(context.Request).TrimEnd('/');
        var outcome = await operations.OnboardOneAsync(fields, null, $"client:{client}",
            token => $"{baseUrl}/Invitations/Accept?token={Uri.EscapeDataString(token)}", cancellationToken);
        if (!outcome.Succeeded)
        {
            // The columns of the file become the body's camelCase names (legal_name -> legalName); "file" is the body as a whole.
            var errors = outcome.Errors.GroupBy(e => e.Column == "file" ? "body" : CamelCase(e.Column), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
            return TypedResults.ValidationProblem(errors, title: "The supplier was not created.");
        }

        var s = outcome.Imported[0];
        var missed = outcome.NotInvited.FirstOrDefault();
        return TypedResults.Created($"/api/v1/suppliers/{s.SupplierId:D}",
            new ImportedSupplierDto(0, s.SupplierId, s.LegalName, s.Tier.ToString(), s.ContactName, s.ContactEmail, missed is null, missed?.Reason));
    }

    private static string CamelCase(string column)
    {
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    internal static async Task<IResult> InviteAsync(Guid id, InviteContactBody? body, Invitations.SupplierInvitations invitations, HttpContext context, CancellationToken cancellationToken)
    {
        // The import requires a name for every contact; so does this, before the use case (which leaves it optional
        // for a supplier admin inviting a colleague) checks its length and characters.
        if (string.IsNullOrWhiteSpace(body?.ContactName))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["contactName"] = ["Enter the contact's name."] }, title: "No invitation was sent.");
        }

        var baseUrl = IssueModel.BaseUrl(context.Request).TrimEnd('/');
        var outcome = await invitations.InviteAsync(
            new Invitations.InviteSupplierContact(id, body.Email ?? string.Empty, body.Role ?? Core.Identity.Roles.SupplierAdmin, Guid.Empty, body.ContactName),
            token => $"{baseUrl}/Invitations/Accept?token={Uri.EscapeDataString(token)}", cancellationToken);
        if (outcome.Succeeded)
        {
            var i = outcome.Value!;
            return TypedResults.Created($"/api/v1/suppliers/{id:D}", new InvitationDto(i.Id, i.SupplierId, i.ContactName!, i.Email, i.Role, i.ExpiresAt));
        }

        if (outcome.Errors.ContainsKey("SupplierId"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such supplier.");
        }

        return TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value, StringComparer.Ordinal), title: "No invitation was sent.");
    }

    internal static async Task<IResult> ImportAsync(HttpContext context, ImportOperations operations, CancellationToken cancellationToken)
    {
        var request = context.Request;
        Stream content;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("file");
            if (file is null)
            {
                return Problem([new(0, "file", "Send the CSV as the body (Content-Type: text/csv) or as the form part named \"file\".")]);
            }

            content = file.OpenReadStream();
        }
        else
        {
            content = request.Body;
        }

        await using (content)
        {
            var client = context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject) ?? "unknown client";
            var baseUrl = IssueModel.BaseUrl(request).TrimEnd('/');
            var outcome = await operations.ImportAsync(content, null, $"client:{client}",
                token => $"{baseUrl}/Invitations/Accept?token={Uri.EscapeDataString(token)}", cancellationToken);
            if (!outcome.Succeeded)
            {
                return Problem([.. outcome.Errors.Select(e => new ImportRowErrorDto(e.Row, e.Column, e.Message))]);
            }

            var suppliers = outcome.Imported.Select(s =>
            {
                var missed = outcome.NotInvited.FirstOrDefault(n => n.SupplierId == s.SupplierId);
                return new ImportedSupplierDto(s.Row, s.SupplierId, s.LegalName, s.Tier.ToString(), s.ContactName, s.ContactEmail, missed is null, missed?.Reason);
            }).ToList();
            return TypedResults.Created("/api/v1/suppliers", new ImportResultDto(suppliers.Count, suppliers));
        }
    }

    /// <summary>
    /// A validation problem whose <c>errors</c> are keyed "line N: column" (line 0 is the file as a whole), with the
    /// same list under <c>rowErrors</c> for clients that prefer structured rows.
    /// </summary>
    private static IResult Problem(IReadOnlyList<ImportRowErrorDto> rows)
    {
        var errors = rows.GroupBy(r => $"line {r.Row}: {r.Column}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Message).ToArray(), StringComparer.Ordinal);
        return TypedResults.ValidationProblem(errors, title: "Nothing was imported: the file has problems.",
            extensions: new Dictionary<string, object?> { ["rowErrors"] = rows });
    }
}
