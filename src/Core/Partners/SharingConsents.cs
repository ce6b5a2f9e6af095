using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Partners;

/// <summary>A supplier lets one partner system read a scope of its assurance profile, until an optional expiry.</summary>
public sealed record GrantConsentCommand(Guid SupplierId, string PartnerClientId, string Scope, DateTimeOffset? ExpiresAt);

/// <summary>
/// Granting and revoking sharing consents. The context is the caller's tenant-scoped one: a supplier user reaches
/// only its own organisation's consents, so another organisation's consent id is "not found", like a missing one.
/// The gateway reads consents from the database on every look-up, so a revocation holds from its commit on.
/// </summary>
public sealed class SharingConsentsHandler(SupplierAssureDbContext db, TimeProvider clock)
{
    /// <summary>Scopes a supplier can grant today; the gateway maps each operation to one of them.</summary>
    public static readonly IReadOnlyList<string> GrantableScopes = [SharingConsent.StatusScope];

    /// <summary>The furthest ahead an expiry may be set; a longer share is granted again when it runs out.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3 * 366);

    /// <summary>
    /// Grants the consent, unless one for the same partner and scope is already live (then a conflict naming its
    /// expiry: revoke it first to change it). <paramref name="knownPartnerClients"/> are the client ids a supplier
    /// may choose from.
    /// </summary>
    public async Task<Outcome<SharingConsent>> GrantAsync(GrantConsentCommand command, IReadOnlyCollection<string> knownPartnerClients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(knownPartnerClients);
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(command.PartnerClientId) || !knownPartnerClients.Contains(command.PartnerClientId, StringComparer.Ordinal))
        {
            errors["PartnerClientId"] = ["Choose one of the partner systems listed."];
        }

        if (!GrantableScopes.Contains(command.Scope, StringComparer.Ordinal))
        {
            errors["Scope"] = ["Choose what the partner may read."];
        }

        if (command.ExpiresAt is { } expiry)
        {
            if (expiry <= now)
            {
                errors["ExpiresAt"] = ["The expiry must be in the future; leave it empty for a share that lasts until you revoke it."];
            }
            else if (expiry - now > MaxDuration)
            {
                errors["ExpiresAt"] = ["Choose an expiry at most three years ahead."];
            }
        }

        if (errors.Count > 0)
        {
            return Outcome<SharingConsent>.From(Outcome.Invalid(errors));
        }

        // The tenant filter makes another organisation's supplier id look missing.
        if (!await db.Suppliers.AnyAsync(s => s.Id == command.SupplierId, cancellationToken))
        {
            return Outcome<SharingConsent>.From(Outcome.NotFound());
        }

        var live = (await db.SharingConsents.AsNoTracking()
                .Where(c => c.SupplierId == command.SupplierId && c.PartnerClientId == command.PartnerClientId && c.Scope == command.Scope && c.RevokedAt == null)
                .ToListAsync(cancellationToken))
            .Find(c => c.IsLiveAt(now));
        if (live is not null)
        {
            return Outcome<SharingConsent>.From(Outcome.Conflict(live.ExpiresAt is { } until
                ? $"This partner can already read it until {until:yyyy-MM-dd HH:mm} UTC; revoke that share first to change it."
                : "This partner can already read it until you revoke the share; revoke it first to change it."));
        }

        var consent = new SharingConsent
        {
            Id = Guid.NewGuid(),
            SupplierId = command.SupplierId,
            PartnerClientId = command.PartnerClientId,
            Scope = command.Scope,
            GrantedAt = now,
            // In UTC, like every instant we store: the partner gateway compares expiries with now in SQL, and on
            // SQLite stored instants order correctly only among equal offsets.
            ExpiresAt = command.ExpiresAt?.ToUniversalTime(),
        };
        db.SharingConsents.Add(consent);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<SharingConsent>.Ok(consent);
    }

    /// <summary>Revokes a live consent; a consent already revoked or expired is a conflict, another organisation's is not found.</summary>
    public async Task<Outcome<SharingConsent>> RevokeAsync(Guid consentId, CancellationToken cancellationToken)
    {
        var consent = await db.SharingConsents.SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken);
        if (consent is null)
        {
            return Outcome<SharingConsent>.From(Outcome.NotFound());
        }

        var now = clock.GetUtcNow();
        if (!consent.IsLiveAt(now))
        {
            return Outcome<SharingConsent>.From(Outcome.Conflict(consent.RevokedAt is { } revoked
                ? $"This share was already revoked on {revoked:yyyy-MM-dd HH:mm} UTC."
                : "This share has already expired."));
        }

        consent.RevokedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<SharingConsent>.Ok(consent);
    }
}

/// <summary>One page of the partner access log, newest first.</summary>
public sealed record PartnerAccessPage(IReadOnlyList<PartnerAccess> Entries, int Total, int PageNumber, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Filters on the access log a supplier reads: which partner, which operation, which period.</summary>
public sealed record PartnerAccessQuery(string? PartnerClientId, string? Operation, DateTimeOffset? From, DateTimeOffset? To, int PageNumber, int PageSize = PartnerAccessQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 50;
}

public static class PartnerAccessLogQueries
{
    /// <summary>Reads the log through the tenant-scoped <paramref name="db"/>: a supplier user sees only its own organisation's entries.</summary>
    public static async Task<PartnerAccessPage> PageAsync(SupplierAssureDbContext db, PartnerAccessQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var entries = db.PartnerAccesses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.PartnerClientId))
        {
            entries = entries.Where(e => e.ClientId == query.PartnerClientId);
        }

        if (!string.IsNullOrWhiteSpace(query.Operation))
        {
            entries = entries.Where(e => e.Operation == query.Operation);
        }

        if (query.From is { } from)
        {
            var utcFrom = from.ToUniversalTime();
            entries = entries.Where(e => e.AccessedAt >= utcFrom);
        }

        if (query.To is { } to)
        {
            var utcTo = to.ToUniversalTime();
            entries = entries.Where(e => e.AccessedAt < utcTo);
        }

        var total = await entries.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
        var pageNumber = Math.Clamp(query.PageNumber, 1, pageCount);
        var page = await entries.OrderByDescending(e => e.Id)
            .Skip((pageNumber - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new PartnerAccessPage(page, total, pageNumber, pageSize);
    }
}
