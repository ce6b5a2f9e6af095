using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Onboarding;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Invitations;

/// <summary>
/// Accepting an invitation creates a local account in the inviting supplier organisation. The link is looked up
/// by the hash of its secret; unknown (tampered), used and expired links each get a clear message and no account.
/// </summary>
public sealed class AcceptModel(
    SupplierAssureDbContext db,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    PortalAudit audit,
    TimeProvider clock,
    IOnboardingSignals onboarding) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your name.")]
    [StringLength(200)]
    public string DisplayName { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, MinimumLength = 12, ErrorMessage = "Use at least 12 characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    public string? Problem { get; private set; }
    public string? Email { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var invitation = await FindUsableAsync(cancellationToken);
        if (invitation is not null)
        {
            Email = invitation.Email;
            // The name the inviter gave is offered; the person may correct it before the account is created.
            DisplayName = invitation.ContactName ?? string.Empty;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var invitation = await FindUsableAsync(cancellationToken);
        if (invitation is null)
        {
            await audit.RecordAsync(AuditKinds.InvitationRefused, "invitation", supplierId: null, cancellationToken, Problem);
            return Page();
        }

        Email = invitation.Email;
        if (ModelState.IsValid && ContactNames.Check(DisplayName, required: true, out _) is not null)
        {
            // Required and length are the attributes' messages; what the rule adds is the control character.
            ModelState.AddModelError(nameof(DisplayName), "Remove the control character (a tab, a line break or similar) from your name.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            Problem = "An account with this e-mail address already exists. Sign in with it, or ask for an invitation to another address.";
            return Page();
        }

        var user = new ApplicationUser
        {
            Id = Guid.NewGuid(),
            UserName = invitation.Email,
            Email = invitation.Email,
            // The invitation reached this mailbox: the address is confirmed.
            EmailConfirmed = true,
            DisplayName = DisplayName.Trim(),
            SupplierId = invitation.SupplierId,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Claim the invitation first, conditionally, so two simultaneous acceptances cannot both succeed.
            var now = clock.GetUtcNow();
            var claimed = await db.Set<Invitation>()
                .Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedUserId, user.Id), cancellationToken);
            if (claimed != 1)
            {
                Problem = UsedMessage;
                return Page();
            }

            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError(nameof(Password), error.Description);
                }

                // Disposing the transaction uncommitted rolls the claim back: the link still works.
                return Page();
            }

            var role = await users.AddToRoleAsync(user, invitation.Role);
            if (!role.Succeeded)
            {
                throw new InvalidOperationException("Granting the invited role failed: " + string.Join("; ", role.Errors.Select(e => e.Description)));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await audit.RecordAsync(AuditKinds.InvitationAccepted, $"invitation:{invitation.Id:D}", invitation.SupplierId, cancellationToken, $"user:{user.Id:D} as {invitation.Role}");
        // The onboarding's sign-up step goes on now rather than at its next look (it logs, never throws, on failure).
        await onboarding.MilestoneReachedAsync(invitation.SupplierId, OnboardingMilestone.SignedUp, null, cancellationToken);
        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Account/Mfa");
    }

    private const string UsedMessage = "This invitation has already been used. Sign in with the account it created, or ask for a new invitation.";

    private async Task<Invitation?> FindUsableAsync(CancellationToken cancellationToken)
    {
        var invitation = string.IsNullOrWhiteSpace(Token) || Token.Length > 100
            ? null
            : await db.Set<Invitation>().AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == InvitationTokens.Hash(Token), cancellationToken);
        if (invitation is null)
        {
            Problem = "This invitation link is not valid. Check that you opened the whole link from the e-mail, or ask for a new invitation.";
        }
        else if (invitation.AcceptedAt is not null)
        {
            Problem = UsedMessage;
        }
        else if (invitation.ExpiresAt <= clock.GetUtcNow())
        {
            Problem = $"This invitation expired on {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask the person who invited you for a new one.";
        }
        else
        {
            return invitation;
        }

        return null;
    }
}
