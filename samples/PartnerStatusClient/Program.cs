// A partner system's view of SupplierAssure: get an access token with client credentials from the Portal,
// then ask the partner gateway for one supplier's security status.
//
//   dotnet run --project samples/PartnerStatusClient -- LEI 529900MERIDIAN000175
//
// Settings (environment): PORTAL_URL (http://127.0.0.1:5080), GATEWAY_URL (http://127.0.0.1:5090),
// CLIENT_ID (demo-partner), CLIENT_SECRET (demo-partner-secret), SCOPE (partner.status.read).
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using SupplierAssure.Partner.V1;

var portal = new Uri(Environment.GetEnvironmentVariable("PORTAL_URL") ?? "http://127.0.0.1:5080");
var gateway = new Uri(Environment.GetEnvironmentVariable("GATEWAY_URL") ?? "http://127.0.0.1:5090");
var type = args.Length > 0 ? args[0] : "LEI";
var value = args.Length > 1 ? args[1] : "529900MERIDIAN000175";
if (!Enum.TryParse<IdentifierType>(type, ignoreCase: true, out var identifierType) || identifierType == IdentifierType.Unspecified)
{
    Console.Error.WriteLine($"Unknown identifier type '{type}'. Use one of: SupplierId, Lei, Duns, Eori, Vat.");
    return 2;
}

using var http = new HttpClient { BaseAddress = portal };
HttpResponseMessage tokenResponse;
try
{
    tokenResponse = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = Environment.GetEnvironmentVariable("CLIENT_ID") ?? "demo-partner",
        ["client_secret"] = Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? "demo-partner-secret",
        ["scope"] = Environment.GetEnvironmentVariable("SCOPE") ?? "partner.status.read",
    }));
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"Cannot reach the Portal at {portal}: {ex.Message}. Is scripts/run.sh running?");
    return 1;
}
using var tokenScope = tokenResponse;
var tokenJson = await tokenResponse.Content.ReadAsStringAsync();
if (!tokenResponse.IsSuccessStatusCode)
{
    Console.Error.WriteLine($"Token request failed ({(int)tokenResponse.StatusCode}): {tokenJson}");
    return 1;
}

var accessToken = JsonDocument.Parse(tokenJson).RootElement.GetProperty("access_token").GetString();
Console.WriteLine($"Got an access token from {portal}connect/token.");

using var channel = GrpcChannel.ForAddress(gateway);
var client = new PartnerExchange.PartnerExchangeClient(channel);
try
{
    var status = await client.GetSecurityStatusAsync(
        new GetSecurityStatusRequest { Identifier = new SupplierIdentifier { Type = identifierType, Value = value } },
        new Metadata { { "Authorization", new AuthenticationHeaderValue("Bearer", accessToken).ToString() } },
        deadline: DateTime.UtcNow.AddSeconds(10));
    Console.WriteLine(status);
    return 0;
}
catch (RpcException ex)
{
    Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
    var badRequest = ex.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>();
    foreach (var violation in badRequest?.FieldViolations ?? [])
    {
        Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
    }

    return 1;
}
