using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;
using SupplierAssure.Portal.Identity;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Features.Invitations;

/// <summary>What to invite: the organisation, the contact's address, the supplier role they will get and their name (optional here; the procurement form, the import and the API require it).</summary>
public sealed record InviteSupplierContact(Guid SupplierId, string Email, string Role, Guid InvitedBy, string? ContactName = null);

/// <summary>An invitation not yet accepted, for the lists that show who was invited.</summary>
public sealed record OpenInvitation(Guid Id, string? ContactName, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>
/// The one way an invitation is made, used by procurement's invitation page and a supplier admin's users page:
/// the organisation is looked up through the tenant-scoped context (a supplier admin finds only their own), only
/// supplier roles can be given, the link's secret is e-mailed and only its hash is stored, and the audit log gets
/// an entry.
/// </summary>
public sealed class SupplierInvitations(SupplierAssureDbContext db, IPortalEmailSender email, PortalAudit audit, TimeProvider clock, IConfiguration configuration, Core.Onboarding.IOnboardingSignals onboarding)
{
    public async Task<Outcome<Invitation>> InviteAsync(InviteSupplierContact command, Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(linkFor);
        var errors = new Dictionary<string, string[]>();
        var supplier = await db.Suppliers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == command.SupplierId, cancellationToken);
        if (supplier is null)
        {
            errors["SupplierId"] = ["Choose a supplier organisation."];
        }

        if (command.Role is not (Roles.SupplierAdmin or Roles.SupplierContributor))
        {
            errors["Role"] = ["Choose supplier admin or contributor."];
        }

        var address = command.Email?.Trim() ?? string.Empty;
        if (address.Length is 0 or > 256 || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(address))
        {
            errors["Email"] = ["Enter a valid e-mail address."];
        }

        if (ContactNames.Check(command.ContactName, required: false, out var contactName) is { } nameProblem)
        {
            errors["ContactName"] = [nameProblem];
        }

        if (errors.Count > 0 || supplier is null)
        {
            return Outcome<Invitation>.From(Outcome.Invalid(errors));
        }

        var token = InvitationTokens.NewToken();
        var now = clock.GetUtcNow();
        var lifetime = configuration.GetValue("Invitations:Lifetime", TimeSpan.FromDays(7));
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            SupplierId = supplier.Id,
            Email = address,
            ContactName = contactName,
            Role = command.Role,
            TokenHash = InvitationTokens.Hash(token),
            InvitedBy = command.InvitedBy,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);

        await email.SendAsync(invitation.Email, $"You are invited to SupplierAssure for {supplier.LegalName}",
            $"{Greeting(invitation.ContactName)}You have been invited to answer security assurance questionnaires for {supplier.LegalName}.\n\nCreate your account here (the link works once, until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n{linkFor(token)}\n",
            cancellationToken);
        await audit.RecordAsync(AuditKinds.InvitationCreated, $"invitation:{invitation.Id:D}", supplier.Id, cancellationToken, invitation.ContactName is null ? $"{invitation.Role} for {invitation.Email}" : $"{invitation.Role} for {invitation.ContactName} <{invitation.Email}>");
        // A supplier still being onboarded gets its onboarding workflow now, not at the next sweep.
        await onboarding.MilestoneReachedAsync(supplier.Id, Core.Onboarding.OnboardingMilestone.Invited, null, cancellationToken);
        return Outcome<Invitation>.Ok(invitation);
    }

    /// <summary>
    /// The invitations of one supplier not yet accepted (expired ones marked), newest first, at most <paramref name="limit"/>.
    /// Invitations carry no query filter (acceptance is anonymous), so the supplier is also looked up through the
    /// tenant-scoped set: a caller who cannot see the supplier gets an empty list.
    /// </summary>
    public async Task<IReadOnlyList<OpenInvitation>> OpenForSupplierAsync(Guid supplierId, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await db.Set<Invitation>().AsNoTracking()
            .Where(i => i.SupplierId == supplierId && i.AcceptedAt == null && db.Suppliers.Any(s => s.Id == i.SupplierId))
            .Select(i => new { i.Id, i.ContactName, i.Email, i.Role, i.CreatedAt, i.ExpiresAt })
            .Take(1000)
            .ToListAsync(cancellationToken);
        // SQLite cannot order by DateTimeOffset in SQL; a supplier's open invitations are few.
        return [.. open.OrderByDescending(i => i.CreatedAt).Take(limit)
            .Select(i => new OpenInvitation(i.Id, i.ContactName, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.ExpiresAt <= now))];
    }

    private static string Greeting(string? contactName) => contactName is null ? "Hello,\n\n" : $"Hello {contactName},\n\n";
}

/// <summary>The absolute acceptance link for an invitation's secret.</summary>
public static class InvitationLinks
{
    public static string For(Microsoft.AspNetCore.Mvc.IUrlHelper url, HttpRequest request, string token)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(request);
        return Microsoft.AspNetCore.Mvc.UrlHelperExtensions.Page(url, "/Invitations/Accept", pageHandler: null, values: new { token }, protocol: request.Scheme)
            ?? throw new InvalidOperationException("The acceptance page has no route.");
    }
}
