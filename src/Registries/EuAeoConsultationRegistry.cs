using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SupplierAssure.Core.Credentials;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Suppliers;

namespace SupplierAssure.Registries;

/// <summary>
/// Verifies EU AEO authorisations with the EU's AEO consultation service, which answers "does this holder, in this
/// country, hold this kind of authorisation" (holder name, country and type); the authorisation number itself is
/// not searchable there, so its format is checked on submission instead.
/// </summary>
/// <remarks>
/// The adapter speaks a small JSON contract, <c>GET authorisations?holderName=&amp;country=&amp;type=</c> answering
/// <c>{"authorisations":[{"holderName","country","type"}]}</c>, at <see cref="RegistryOptions.BaseAddress"/>: the
/// EU publishes the consultation as a web form, so deployments point the base address at their integration
/// endpoint that queries it. Retries, timeouts and the circuit breaker are the typed client's resilience handler.
/// </remarks>
public sealed partial class EuAeoConsultationRegistry(HttpClient http, ILogger<EuAeoConsultationRegistry> logger) : ICredentialRegistry
{
    public const string RegistryName = "eu-aeo-consultation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => RegistryName;

    public bool Handles(CredentialType type) => type == CredentialType.EuAeo;

    public async Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(holder);
        var country = CredentialRules.AeoCountryOf(credential.Number);
        var kind = CredentialRules.AeoKindOf(credential.Number);
        var query = string.Create(CultureInfo.InvariantCulture,
            $"authorisations?holderName={Uri.EscapeDataString(holder.LegalName)}&country={country}&type={kind}");
        AeoAnswer? answer;
        try
        {
            using var response = await http.GetAsync(new Uri(query, UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return NotFound(holder, country, kind);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryUnavailableException($"The EU AEO service answered {(int)response.StatusCode} after retries.");
            }

            answer = await response.Content.ReadFromJsonAsync<AeoAnswer>(Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException)
        {
            LogUnavailable(logger, ex, credential.Id);
            throw new RegistryUnavailableException("The EU AEO service gave no usable answer.", ex);
        }

        if (answer?.Authorisations is not { } authorisations || authorisations.Exists(a => a.HolderName is null || a.Country is null || a.Type is null))
        {
            LogMalformed(logger, credential.Id);
            throw new RegistryUnavailableException("The EU AEO service's answer did not have the expected shape.");
        }

        var match = authorisations.Exists(a =>
            string.Equals(a.HolderName!.Trim(), holder.LegalName.Trim(), StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Country, country, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Type, kind, StringComparison.OrdinalIgnoreCase));
        return match
            ? new RegistryVerdict(VerificationState.Verified, $"The EU AEO register lists {holder.LegalName} with an {kind} authorisation issued in {country}.")
            : NotFound(holder, country, kind);
    }

    private static RegistryVerdict NotFound(Supplier holder, string country, string kind) =>
        new(VerificationState.NotFoundInRegistry, $"The EU AEO register lists no {kind} authorisation issued in {country} for {holder.LegalName}.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The EU AEO service could not verify credential {CredentialId}.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, Guid credentialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The EU AEO service's answer for credential {CredentialId} was malformed.")]
    private static partial void LogMalformed(ILogger logger, Guid credentialId);

    private sealed record AeoAnswer([property: JsonPropertyName("authorisations")] List<AeoAuthorisation>? Authorisations);

    private sealed record AeoAuthorisation(string? HolderName, string? Country, string? Type);
}
