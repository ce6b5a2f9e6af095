using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Partners;
using SupplierAssure.Portal.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SupplierAssure.Portal.Features.PartnerClients;

/// <summary>What went wrong with a request to the registry, by form field (empty when it succeeded).</summary>
public sealed class RegistryErrors : Dictionary<string, string>
{
    public RegistryErrors()
        : base(StringComparer.Ordinal)
    {
    }

    public bool Any => Count > 0;
}

/// <summary>The outcome of creating or rotating a client: the secret is here once and is never stored in clear.</summary>
public sealed record ClientCredentialResult(string ClientId, string? Secret, RegistryErrors Errors);

/// <summary>
/// Creates and manages partner organisations and their machine clients: our <see cref="PartnerClient"/> row plus
/// OpenIddict's application row (client id, secret hash or public keys, permitted scopes), written together. Every
/// change is audit-logged.
/// </summary>
public sealed class PartnerClientRegistry(SupplierAssureDbContext db, IOpenIddictApplicationManager applications, PortalAudit audit, TimeProvider clock)
{
    /// <summary>The private members of RSA and EC JWKs: a registration carries only the public half.</summary>
    private static readonly string[] PrivateJwkMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public async Task<(PartnerOrganisation? Organisation, RegistryErrors Errors)> CreateOrganisationAsync(string? name, string? contactEmail, CancellationToken cancellationToken)
    {
        var errors = new RegistryErrors();
        name = name?.Trim();
        contactEmail = string.IsNullOrWhiteSpace(contactEmail) ? null : contactEmail.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["Name"] = "Enter the partner organisation's name.";
        }
        else if (name.Length > PartnerOrganisation.MaxNameLength)
        {
            errors["Name"] = $"The name has at most {PartnerOrganisation.MaxNameLength} characters.";
        }
        else if (await db.PartnerOrganisations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            errors["Name"] = "A partner organisation with this name already exists.";
        }

        if (contactEmail is not null && (contactEmail.Length > 256 || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(contactEmail)))
        {
            errors["ContactEmail"] = "Enter a valid e-mail address, or leave it empty.";
        }

        if (errors.Any)
        {
            return (null, errors);
        }

        var organisation = new PartnerOrganisation { Id = Guid.NewGuid(), Name = name!, ContactEmail = contactEmail, CreatedAt = clock.GetUtcNow() };
        db.PartnerOrganisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(PartnerAuditKinds.OrganisationCreated, $"partner-organisation:{organisation.Id:D}", null, cancellationToken, organisation.Name);
        return (organisation, errors);
    }

    /// <summary>
    /// Registers a client of <paramref name="organisationId"/> allowed <paramref name="scopes"/>. With
    /// <see cref="PartnerClientAuthentication.ClientSecret"/> a secret is generated and returned; with
    /// <see cref="PartnerClientAuthentication.PrivateKeyJwt"/> the client's public JWK (or JWK Set) is kept.
    /// </summary>
    public async Task<ClientCredentialResult> CreateClientAsync(
        Guid organisationId, string? displayName, IReadOnlyCollection<string> scopes, PartnerClientAuthentication authentication, string? publicJwk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var errors = new RegistryErrors();
        var organisation = await db.PartnerOrganisations.SingleOrDefaultAsync(o => o.Id == organisationId, cancellationToken);
        if (organisation is null)
        {
            errors["OrganisationId"] = "Choose an existing partner organisation.";
        }

        displayName = displayName?.Trim();
        if (string.IsNullOrEmpty(displayName))
        {
            errors["DisplayName"] = "Enter a name for this client (for example the partner's system).";
        }
        else if (displayName.Length > PartnerOrganisation.MaxNameLength)
        {
            errors["DisplayName"] = $"The name has at most {PartnerOrganisation.MaxNameLength} characters.";
        }

        var chosen = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            errors["Scopes"] = "Choose at least one operation the client may call.";
        }
        else if (chosen.FirstOrDefault(s => !PartnerScopes.All.Contains(s)) is { } unknown)
        {
            errors["Scopes"] = $"'{unknown}' is not a partner operation scope.";
        }

        JsonWebKeySet? keys = null;
        if (authentication == PartnerClientAuthentication.PrivateKeyJwt)
        {
            keys = ParsePublicKeys(publicJwk, errors);
        }
        else if (authentication != PartnerClientAuthentication.ClientSecret)
        {
            errors["Authentication"] = "Choose a client secret or a public key (private_key_jwt).";
        }

        if (errors.Any)
        {
            return new ClientCredentialResult(string.Empty, null, errors);
        }

        var clientId = NewClientId(organisation!.Name);
        var secret = authentication == PartnerClientAuthentication.ClientSecret ? NewSecret() : null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
            JsonWebKeySet = keys,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in chosen)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        // Our row first, in a transaction with OpenIddict's (same context): either both exist or neither does.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PartnerClients.Add(new PartnerClient
        {
            ClientId = clientId,
            PartnerOrganisationId = organisation.Id,
            DisplayName = displayName!,
            Authentication = authentication,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        await applications.CreateAsync(descriptor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await audit.RecordAsync(PartnerAuditKinds.ClientCreated, $"partner-client:{clientId}", null, cancellationToken,
            $"{organisation.Name}: {displayName}; {authentication}; scopes {string.Join(' ', chosen)}");
        return new ClientCredentialResult(clientId, secret, errors);
    }

    /// <summary>Replaces a secret client's secret (the old one stops working at once) and returns the new one.</summary>
    public async Task<ClientCredentialResult> RotateSecretAsync(string clientId, CancellationToken cancellationToken)
    {
        var errors = new RegistryErrors();
        var (client, application) = await FindAsync(clientId, cancellationToken);
        if (client is null || application is null)
        {
            errors["ClientId"] = "There is no such partner client.";
            return new ClientCredentialResult(clientId, null, errors);
        }

        if (client.Authentication != PartnerClientAuthentication.ClientSecret)
        {
            errors["ClientId"] = "This client signs assertions with its own key: replace its public key instead.";
            return new ClientCredentialResult(clientId, null, errors);
        }

        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        descriptor.ClientSecret = secret;
        await applications.UpdateAsync(application, descriptor, cancellationToken);
        client.CredentialRotatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(PartnerAuditKinds.ClientRotated, $"partner-client:{clientId}", null, cancellationToken, "new client secret");
        return new ClientCredentialResult(clientId, secret, errors);
    }

    /// <summary>Replaces a private_key_jwt client's public keys; assertions signed with the old key are refused from now on.</summary>
    public async Task<RegistryErrors> ReplaceKeyAsync(string clientId, string? publicJwk, CancellationToken cancellationToken)
    {
        var errors = new RegistryErrors();
        var (client, application) = await FindAsync(clientId, cancellationToken);
        if (client is null || application is null)
        {
            errors["ClientId"] = "There is no such partner client.";
            return errors;
        }

        if (client.Authentication != PartnerClientAuthentication.PrivateKeyJwt)
        {
            errors["ClientId"] = "This client uses a client secret: rotate the secret instead.";
            return errors;
        }

        var keys = ParsePublicKeys(publicJwk, errors);
        if (errors.Any)
        {
            return errors;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        descriptor.JsonWebKeySet = keys;
        await applications.UpdateAsync(application, descriptor, cancellationToken);
        client.CredentialRotatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(PartnerAuditKinds.ClientRotated, $"partner-client:{clientId}", null, cancellationToken,
            "new public key " + string.Join(' ', keys!.Keys.Select(k => k.Kid ?? Base64UrlEncoder.Encode(k.ComputeJwkThumbprint()))));
        return errors;
    }

    /// <summary>Disables (the token endpoint refuses it) or enables a client.</summary>
    public async Task<RegistryErrors> SetDisabledAsync(string clientId, bool disabled, CancellationToken cancellationToken)
    {
        var errors = new RegistryErrors();
        var client = await db.PartnerClients.SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        if (client is null)
        {
            errors["ClientId"] = "There is no such partner client.";
            return errors;
        }

        if (client.IsDisabled == disabled)
        {
            return errors; // already so: nothing to change or record
        }

        // Note: disabling stops new tokens only. Access tokens already issued are JWTs the gateway validates offline,
        // so they keep working until they expire (15 minutes at most). Checking the client's status at the gateway
        // (a cached look-up per call) would close that window at the cost of a database dependency on every call;
        // for an urgent cut-off a supplier revokes its sharing consent, which the gateway checks on every look-up.
        client.DisabledAt = disabled ? clock.GetUtcNow() : null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(disabled ? PartnerAuditKinds.ClientDisabled : PartnerAuditKinds.ClientEnabled, $"partner-client:{clientId}", null, cancellationToken);
        return errors;
    }

    /// <summary>Parses a pasted public JWK or JWK Set; anything private, symmetric or unreadable is an error on "PublicJwk".</summary>
    public static JsonWebKeySet? ParsePublicKeys(string? text, RegistryErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const string Field = "PublicJwk";
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[Field] = "Paste the client's public key as a JWK (or a JWK Set).";
            return null;
        }

        List<JsonElement> keys;
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors[Field] = "A JWK is a JSON object with \"kty\", or a JWK Set with \"keys\".";
                return null;
            }

            keys = root.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array
                ? [.. array.EnumerateArray().Select(k => k.Clone())]
                : [root.Clone()];
        }
        catch (JsonException)
        {
            errors[Field] = "This is not valid JSON: paste the JWK exactly as your key tool wrote it.";
            return null;
        }

        if (keys.Count == 0)
        {
            errors[Field] = "The JWK Set holds no keys.";
            return null;
        }

        var set = new JsonWebKeySet();
        foreach (var element in keys)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors[Field] = "Every key must be a JSON object.";
                return null;
            }

            if (PrivateJwkMembers.FirstOrDefault(m => element.TryGetProperty(m, out var value) && HasContent(value)) is { } member)
            {
                // Note: a pasted private key is refused outright (and not stored), so the partner knows to replace it.
                errors[Field] = $"This key contains the private member \"{member}\": paste only the public key, and treat the private one as exposed.";
                return null;
            }

            JsonWebKey key;
            try
            {
                key = new JsonWebKey(element.GetRawText());
            }
            catch (ArgumentException)
            {
                errors[Field] = "This JWK could not be read.";
                return null;
            }

            var valid = key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E) && Base64UrlEncoder.DecodeBytes(key.N).Length >= 256,
                JsonWebAlgorithmsKeyTypes.EllipticCurve => !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y) && key.Crv is "P-256" or "P-384" or "P-521",
                _ => false,
            };
            if (!valid)
            {
                errors[Field] = "Use an RSA key of at least 2048 bits or an EC key on P-256, P-384 or P-521.";
                return null;
            }

            set.Keys.Add(key);
        }

        return set;
    }

    /// <summary>Some serialisers write absent members as null or empty; only a value is key material.</summary>
    private static bool HasContent(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        _ => true,
    };

    private async Task<(PartnerClient? Client, object? Application)> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var client = await db.PartnerClients.SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        var application = client is null ? null : await applications.FindByClientIdAsync(clientId, cancellationToken);
        return (client, application);
    }

    private static string NewClientId(string organisationName)
    {
        var slug = new StringBuilder();
        foreach (var c in organisationName.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return string.Create(CultureInfo.InvariantCulture, $"{slug.ToString().Trim('-')}-{suffix}").TrimStart('-');
    }

    /// <summary>256 random bits, base64url: shown once, stored only as OpenIddict's hash.</summary>
    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
