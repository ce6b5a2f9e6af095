using OpenIddict.Abstractions;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Identity;

namespace SupplierAssure.Portal.Features.Sharing;

public static class SharingFeature
{
    /// <summary>Audit kinds of the sharing pages (appended to the hash-chained audit log).</summary>
    public const string ConsentGranted = "sharing.granted";
    public const string ConsentRevoked = "sharing.revoked";

    /// <summary>A supplier admin's sharing pages: consents to partner systems and the log of what they read.</summary>
    public static IHostApplicationBuilder AddSharingFeature(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SharingConsentsHandler>();
        builder.Services.AddScoped<PartnerDirectory>();
        // The credential review queue (Features/Credentials) is the other half of what partners submit.
        builder.Services.AddScoped<Core.Credentials.DecideCredentialReviewHandler>();
        return builder;
    }
}

/// <summary>A partner system a supplier can share with: an OAuth client allowed to read security status.</summary>
public sealed record PartnerSystem(string ClientId, string DisplayName);

/// <summary>
/// The partner systems registered in the Portal's token server. A client counts as a partner system when it may
/// ask for the status-read scope; operator staff register them, suppliers only choose among them.
/// </summary>
public sealed class PartnerDirectory(IOpenIddictApplicationManager applications)
{
    private const int Limit = 1000;

    public async Task<IReadOnlyList<PartnerSystem>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<PartnerSystem>();
        await foreach (var application in applications.ListAsync(Limit, 0, cancellationToken))
        {
            var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
            if (!permissions.Contains(OpenIddictConstants.Permissions.Prefixes.Scope + PartnerScopes.StatusRead))
            {
                continue;
            }

            var clientId = await applications.GetClientIdAsync(application, cancellationToken);
            if (string.IsNullOrEmpty(clientId))
            {
                continue;
            }

            var name = await applications.GetDisplayNameAsync(application, cancellationToken);
            found.Add(new PartnerSystem(clientId, string.IsNullOrWhiteSpace(name) ? clientId : name));
        }

        return [.. found.OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The display name of <paramref name="clientId"/> among <paramref name="partners"/>, or the id when it is no longer registered.</summary>
    public static string NameOf(IReadOnlyList<PartnerSystem> partners, string clientId)
    {
        ArgumentNullException.ThrowIfNull(partners);
        return partners.FirstOrDefault(p => p.ClientId == clientId)?.DisplayName ?? clientId;
    }
}
