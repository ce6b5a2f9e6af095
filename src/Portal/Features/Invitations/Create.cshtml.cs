using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Features.Invitations;

/// <summary>
/// Procurement (or an administrator) invites a supplier contact by e-mail; a supplier admin invites colleagues
/// into their own organisation only. The link's secret is e-mailed and only its hash is kept.
/// </summary>
[Authorize(Roles = $"{Roles.ProcurementManager},{Roles.Administrator},{Roles.SupplierAdmin}")]
public sealed class CreateModel(SupplierAssureDbContext db, IPortalEmailSender email, PortalAudit audit, TimeProvider clock, IConfiguration configuration) : PageModel
{
    [BindProperty]
    public InvitationInput Input { get; set; } = new();

    public IReadOnlyList<Supplier> Suppliers { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // The tenant-scoped context: a supplier admin finds only their own organisation, so naming another
        // organisation's id fails here like a missing one.
        var supplier = await db.Suppliers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == Input.SupplierId, cancellationToken);
        if (supplier is null)
        {
            ModelState.AddModelError("Input.SupplierId", "Choose a supplier organisation.");
        }

        if (Input.Role is not (Roles.SupplierAdmin or Roles.SupplierContributor))
        {
            ModelState.AddModelError("Input.Role", "Choose supplier admin or contributor.");
        }

        if (!ModelState.IsValid || supplier is null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var token = InvitationTokens.NewToken();
        var now = clock.GetUtcNow();
        var lifetime = configuration.GetValue("Invitations:Lifetime", TimeSpan.FromDays(7));
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            Email = Input.Email.Trim(),
            Role = Input.Role,
            TokenHash = InvitationTokens.Hash(token),
            InvitedBy = Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var by) ? by : Guid.Empty,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);

        var link = Url.Page("/Invitations/Accept", pageHandler: null, values: new { token }, protocol: Request.Scheme)
            ?? throw new InvalidOperationException("The acceptance page has no route.");
        await email.SendAsync(invitation.Email, $"You are invited to SupplierAssure for {supplier.LegalName}",
            $"You have been invited to answer security assurance questionnaires for {supplier.LegalName}.\n\nCreate your account here (the link works once, until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n{link}\n",
            cancellationToken);
        await audit.RecordAsync(AuditKinds.InvitationCreated, $"invitation:{invitation.Id:D}", supplier.Id, cancellationToken, $"{invitation.Role} for {invitation.Email}");
        Notice = $"Invitation sent to {invitation.Email}.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.LegalName).Take(500).ToListAsync(cancellationToken);
    }

    public sealed class InvitationInput
    {
        public Guid SupplierId { get; set; }

        [Required(ErrorMessage = "Enter the contact's e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = string.Empty;

        public string Role { get; set; } = Roles.SupplierContributor;
    }
}
