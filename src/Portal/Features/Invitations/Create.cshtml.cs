using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Portal.Features.Invitations;

/// <summary>
/// Procurement (or an administrator) invites a supplier contact by e-mail; a supplier admin invites colleagues
/// into their own organisation only. The link's secret is e-mailed and only its hash is kept.
/// </summary>
[Authorize(Roles = $"{Roles.ProcurementManager},{Roles.Administrator},{Roles.SupplierAdmin}")]
public sealed class CreateModel(SupplierAssureDbContext db, SupplierInvitations invitations) : PageModel
{
    [BindProperty]
    public InvitationInput Input { get; set; } = new();

    public IReadOnlyList<Supplier> Suppliers { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var outcome = await invitations.InviteAsync(
            new InviteSupplierContact(Input.SupplierId, Input.Email, Input.Role,
                Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var by) ? by : Guid.Empty, Input.ContactName),
            token => InvitationLinks.For(Url, Request, token), cancellationToken);
        if (!outcome.Succeeded)
        {
            foreach (var (field, messages) in outcome.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError("Input." + field, message);
                }
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        Notice = $"Invitation sent to {outcome.Value!.ContactName} ({outcome.Value.Email}).";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Take(500).ToListAsync(cancellationToken);
    }

    public sealed class InvitationInput
    {
        public Guid SupplierId { get; set; }

        // Length and characters are checked by the invitation use case (ContactNames), so the form, the import and
        // the API give the same message.
        [Required(ErrorMessage = "Enter the contact's name.")]
        public string ContactName { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter the contact's e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = string.Empty;

        public string Role { get; set; } = Roles.SupplierContributor;
    }
}
