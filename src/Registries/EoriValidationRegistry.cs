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
/// Verifies EORI registrations with the EU's EORI validation service, which answers whether a number is registered
/// and, when the holder agreed to publish it, under which name.
/// </summary>
/// <remarks>
/// The adapter speaks a small JSON contract, <c>GET validations/{eori}</c> answering
/// <c>{"eori":"DE…","valid":true|false,"name":"…"|null}</c> (404 for a number the service does not know), at
/// <see cref="RegistryOptions.BaseAddress"/>: the EU service itself is SOAP, so deployments point the base address
/// at their integration endpoint in front of it. Retries, timeouts and the circuit breaker are the typed client's
/// resilience handler, as for the AEO registry.
/// </remarks>
public sealed partial class EoriValidationRegistry(HttpClient http, ILogger<EoriValidationRegistry> logger) : ICredentialRegistry
{
    public const string RegistryName = "eu-eori-validation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => RegistryName;

    public bool Handles(CredentialType type) => type == CredentialType.Eori;

    public async Task<RegistryVerdict> CheckAsync(Credential credential, Supplier holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(holder);
        EoriAnswer? answer;
        try
        {
            using var response = await http.GetAsync(new Uri("validations/" + Uri.EscapeDataString(credential.Number), UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return NotRegistered(credential.Number);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryUnavailableException($"The EU EORI service answered {(int)response.StatusCode} after retries.");
            }

            answer = await response.Content.ReadFromJsonAsync<EoriAnswer>(Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException)
        {
            LogUnavailable(logger, ex, credential.Id);
            throw new RegistryUnavailableException("The EU EORI service gave no usable answer.", ex);
        }

        if (answer?.Valid is not { } valid || !string.Equals(answer.Eori?.Replace(" ", string.Empty, StringComparison.Ordinal), credential.Number, StringComparison.OrdinalIgnoreCase))
        {
            LogMalformed(logger, credential.Id);
            throw new RegistryUnavailableException("The EU EORI service's answer did not have the expected shape.");
        }

        if (!valid)
        {
            return NotRegistered(credential.Number);
        }

        if (!string.IsNullOrWhiteSpace(answer.Name) && !string.Equals(answer.Name.Trim(), holder.LegalName.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new RegistryVerdict(VerificationState.NotFoundInRegistry,
                $"The EORI register lists {credential.Number} under another holder's name, not {holder.LegalName}.");
        }

        return new RegistryVerdict(VerificationState.Verified, string.IsNullOrWhiteSpace(answer.Name)
            ? $"The EORI register confirms {credential.Number} is valid (the holder's name is not published)."
            : $"The EORI register confirms {credential.Number} is valid for {holder.LegalName}.");
    }

    private static RegistryVerdict NotRegistered(string number) =>
        new(VerificationState.NotFoundInRegistry, $"The EORI register has no valid registration {number}.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The EU EORI service could not verify credential {CredentialId}.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, Guid credentialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The EU EORI service's answer for credential {CredentialId} was malformed.")]
    private static partial void LogMalformed(ILogger logger, Guid credentialId);

    private sealed record EoriAnswer(
        [property: JsonPropertyName("eori")] string? Eori,
        [property: JsonPropertyName("valid")] bool? Valid,
        [property: JsonPropertyName("name")] string? Name);
}
