using System.Text.RegularExpressions;

namespace SupplierAssure.Portal.Identity.Federation;

/// <summary>
/// Upstream OpenID Connect providers that supplier (or operator) people sign in with. Bound from "Federation";
/// each provider is keyed by its name, e.g. <c>Federation:Providers:meridian:Issuer</c>, so environment variables
/// (<c>Federation__Providers__meridian__ClientSecret</c>) can carry the secrets.
/// </summary>
public sealed partial class FederationOptions
{
    public const string SectionName = "Federation";

    /// <summary>The callback path of a provider is this prefix plus its name.</summary>
    public const string CallbackPrefix = "/signin-oidc/";

    public Dictionary<string, FederationProvider> Providers { get; set; } = new(StringComparer.Ordinal);

    public FederationProvider? Find(string? name) =>
        name is not null && Providers.TryGetValue(name, out var provider) ? provider : null;

    /// <summary>Every problem of the configuration, naming the setting; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, provider) in Providers)
        {
            var key = $"{SectionName}:Providers:{name}";
            if (!NamePattern().IsMatch(name))
            {
                problems.Add($"{key}: the name must be 1-32 lower-case letters, digits or hyphens (it becomes the callback path).");
            }

            if (provider.Issuer is not { IsAbsoluteUri: true } issuer || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
            {
                problems.Add($"{key}:Issuer must be an absolute URL without query or fragment.");
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                problems.Add($"{key}:ClientId is required.");
            }
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

public sealed class FederationProvider
{
    /// <summary>What people see on the sign-in and administrator pages ("Meridian Freight sign-in").</summary>
    public string? DisplayName { get; set; }

    /// <summary>The provider's issuer; its discovery document is read from {Issuer}/.well-known/openid-configuration.</summary>
    public Uri? Issuer { get; set; }

    public string ClientId { get; set; } = string.Empty;

    /// <summary>Optional: PKCE protects the code; a confidential client also authenticates at the token endpoint.</summary>
    public string? ClientSecret { get; set; }
}
