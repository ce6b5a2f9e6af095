using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Identity.Federation;

/// <summary>
/// Which upstream provider, if any, an e-mail address signs in with: the provider its domain is routed to by a
/// supplier organisation's domain claim, when that provider is configured. Anything else uses the local form.
/// </summary>
public sealed class HomeRealmDiscovery(IDbContextFactory<SupplierAssureDbContext> contexts, IOptions<FederationOptions> options)
{
    /// <summary>The lower-case domain of <paramref name="email"/>, or null when it has none.</summary>
    public static string? DomainOf(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return null;
        }

        return trimmed[(at + 1)..].TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>The configured provider name the address routes to, or null for the local password form.</summary>
    public async Task<string?> FindProviderAsync(string? email, CancellationToken cancellationToken)
    {
        var domain = DomainOf(email);
        if (domain is null || options.Value.Providers.Count == 0)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = await db.Set<SupplierDomain>().AsNoTracking()
            .Where(d => d.Domain == domain)
            .Select(d => d.ProviderName)
            .SingleOrDefaultAsync(cancellationToken);

        // A claim routed to a provider that is no longer configured falls back to the local form (the
        // administrator page flags it) rather than sending people to a challenge that cannot work.
        return options.Value.Find(name) is null ? null : name;
    }
}
