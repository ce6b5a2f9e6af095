using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// The site form's fields, shared by procurement's page on the supplier (/Suppliers/{id}/Sites) and the supplier's
/// own organisation page (/Organisation/Sites); every field is text so <see cref="SiteRules"/> words each error.
/// </summary>
public sealed class SiteForm
{
    public string? Name { get; set; }
    public string? Function { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? City { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public string? Notes { get; set; }

    /// <summary>The version of the site the form was opened on (editing only), so a change made meanwhile is not overwritten.</summary>
    public long? Version { get; set; }

    public SiteInput ToInput() => new(Name, Function, AddressLine1, AddressLine2, City, PostalCode, Country, Notes);

    public static SiteForm From(SupplierSiteRow site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return new()
        {
            Name = site.Name,
            Function = site.Function.ToString(),
            AddressLine1 = site.AddressLine1,
            AddressLine2 = site.AddressLine2,
            City = site.City,
            PostalCode = site.PostalCode,
            Country = site.CountryCode,
            Notes = site.Notes,
            Version = site.Version,
        };
    }

    /// <summary>Puts the use case's messages beside the form's fields (prefix <c>Input.</c>); a conflict goes to the summary.</summary>
    public static void AddErrors(ModelStateDictionary modelState, Outcome outcome, string prefix = "Input.")
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(field.Length == 0 ? string.Empty : prefix + field, message);
            }
        }
    }

    /// <summary>The signed-in person, for the audit log.</summary>
    public static SiteActor ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown");
    }
}
