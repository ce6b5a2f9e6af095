using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Features.Invitations;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>
/// Onboarding one supplier: procurement enters the organisation, its identifiers, one contact and optionally a tier;
/// the same checks as a line of the import file apply (messages at the fields), and a valid entry creates the supplier
/// and invites the contact as its supplier admin, exactly as the import does.
/// </summary>
[Authorize(Roles = Roles.ProcurementManager + "," + Roles.Administrator)]
public sealed class OnboardModel(ImportOperations operations) : PageModel
{
    /// <summary>The form's fields by the import file's column names, so one set of checks and messages serves both.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldOfColumn = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["legal_name"] = nameof(OnboardInput.LegalName),
        ["country"] = nameof(OnboardInput.Country),
        ["lei"] = nameof(OnboardInput.Lei),
        ["duns"] = nameof(OnboardInput.Duns),
        ["eori"] = nameof(OnboardInput.Eori),
        ["vat"] = nameof(OnboardInput.Vat),
        ["contact_name"] = nameof(OnboardInput.ContactName),
        ["contact_email"] = nameof(OnboardInput.ContactEmail),
        ["tier"] = nameof(OnboardInput.Tier),
    };

    [BindProperty]
    public OnboardInput Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await operations.OnboardOneAsync(Input.ToFields(), UserId(User), User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "unknown",
            token => InvitationLinks.For(Url, Request, token), cancellationToken);
        if (!outcome.Succeeded)
        {
            foreach (var error in outcome.Errors)
            {
                ModelState.AddModelError(FieldOfColumn.TryGetValue(error.Column, out var field) ? "Input." + field : string.Empty, error.Message);
            }

            return Page();
        }

        var created = outcome.Imported[0];
        var missed = outcome.NotInvited.FirstOrDefault();
        Message = missed is null
            ? $"{created.LegalName} onboarded; {created.ContactName} ({created.ContactEmail}) is invited as its supplier admin."
            : $"{created.LegalName} onboarded, but {missed.Reason}";
        return Redirect($"/Suppliers/{created.SupplierId:D}");
    }

    private static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public sealed class OnboardInput
    {
        public string? LegalName { get; set; }
        public string? Country { get; set; }
        public string? Lei { get; set; }
        public string? Duns { get; set; }
        public string? Eori { get; set; }
        public string? Vat { get; set; }
        public string? ContactName { get; set; }
        public string? ContactEmail { get; set; }
        public string? Tier { get; set; }

        public Dictionary<string, string?> ToFields() => new(StringComparer.Ordinal)
        {
            ["legal_name"] = LegalName,
            ["country"] = Country,
            ["lei"] = Lei,
            ["duns"] = Duns,
            ["eori"] = Eori,
            ["vat"] = Vat,
            ["contact_name"] = ContactName,
            ["contact_email"] = ContactEmail,
            ["tier"] = Tier,
        };
    }
}
