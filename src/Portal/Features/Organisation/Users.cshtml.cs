using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Extensions;
using SupplierAssure.Portal.Features.Invitations;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Organisation;

/// <summary>
/// A supplier admin's users page: the organisation's users with their role and status and its open invitations;
/// invite a colleague, switch a user between supplier admin and contributor, disable and re-enable an account.
/// Contributors and operator staff are refused (403); another organisation's user is not found (404).
/// </summary>
[Authorize(Policy = IdentityExtensions.SupplierUserPolicy, Roles = Roles.SupplierAdmin)]
public sealed class UsersModel(OrganisationUsers organisation, SupplierInvitations invitations, SignInManager<ApplicationUser> signIn) : PageModel
{
    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    public IReadOnlyList<OrganisationMember> Members { get; private set; } = [];

    public IReadOnlyList<PendingInvitation> Invitations { get; private set; } = [];

    public Guid CurrentUserId => Actor.UserId;

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        var outcome = await invitations.InviteAsync(
            new InviteSupplierContact(Actor.SupplierId, Invite.Email ?? string.Empty, Invite.Role ?? string.Empty, Actor.UserId, Invite.ContactName),
            token => InvitationLinks.For(Url, Request, token), cancellationToken);
        if (!outcome.Succeeded)
        {
            foreach (var (field, messages) in outcome.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field is "Email" or "Role" or "ContactName" ? "Invite." + field : string.Empty, message);
                }
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        Notice = $"Invitation sent to {outcome.Value!.Email}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, string? role, CancellationToken cancellationToken)
    {
        var outcome = await organisation.ChangeRoleAsync(Actor, userId, role, cancellationToken);
        if (!outcome.Succeeded)
        {
            return await RefuseAsync(outcome, cancellationToken);
        }

        if (userId == Actor.UserId)
        {
            // The admin changed their own role: re-issue their cookie now rather than at the next stamp check.
            await signIn.RefreshSignInAsync(outcome.Value!);
            Notice = $"You are now a {Label(role!)}.";
            return role == Roles.SupplierAdmin ? RedirectToPage() : Redirect("/");
        }

        Notice = $"{outcome.Value!.Email} is now a {Label(role!)}.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostDisableAsync(Guid userId, CancellationToken cancellationToken) => SetDisabledAsync(userId, true, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(Guid userId, CancellationToken cancellationToken) => SetDisabledAsync(userId, false, cancellationToken);

    public static string Label(string role) => role switch
    {
        Roles.SupplierAdmin => "supplier admin",
        Roles.SupplierContributor => "contributor",
        _ => "user without a role",
    };

    public static string Label(MemberStatus status) => status switch
    {
        MemberStatus.Active => "Active",
        MemberStatus.Disabled => "Disabled",
        MemberStatus.LockedOut => "Locked after failed sign-ins",
        MemberStatus.Unconfirmed => "E-mail not confirmed",
        _ => status.ToString(),
    };

    private async Task<IActionResult> SetDisabledAsync(Guid userId, bool disabled, CancellationToken cancellationToken)
    {
        var outcome = await organisation.SetDisabledAsync(Actor, userId, disabled, cancellationToken);
        if (!outcome.Succeeded)
        {
            return await RefuseAsync(outcome, cancellationToken);
        }

        Notice = disabled ? $"{outcome.Value!.Email} can no longer sign in." : $"{outcome.Value!.Email} can sign in again.";
        return RedirectToPage();
    }

    private async Task<IActionResult> RefuseAsync(Outcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == OutcomeStatus.NotFound)
        {
            return NotFound();
        }

        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(string.Empty, message);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private OrganisationActor Actor => new(
        Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!),
        Guid.Parse(User.FindFirstValue(PortalClaims.SupplierId)!));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Members = await organisation.ListAsync(Actor, cancellationToken);
        Invitations = await organisation.PendingInvitationsAsync(Actor, cancellationToken);
    }

    public sealed class InviteInput
    {
        public string? ContactName { get; set; }

        public string? Email { get; set; }

        public string? Role { get; set; } = Roles.SupplierContributor;
    }
}
