// A partner system's view of SupplierAssure, calling every method of the partner exchange once:
//   1. an access token with client credentials from the Portal's token endpoint;
//   2. GetSecurityStatus and BatchGetSecurityStatus (one shared, one not shared, one malformed identifier);
//   3. WatchSecurityStatus from a cursor for a few seconds, printing each change and the cursor to resume from;
//   4. SubmitCredential with an idempotency key, retried with the same key (the retry creates nothing new);
//   5. VerifyCredential, ListCredentials, ReportSecurityIncident (also retried with its key).
//
// Start SupplierAssure first (scripts/run.sh), then:
//   dotnet run --project samples/PartnerStatusClient
//   dotnet run --project samples/PartnerStatusClient -- LEI 529900MERIDIAN000175
//
// Settings (environment): PORTAL_URL (http://127.0.0.1:5080), GATEWAY_URL (http://127.0.0.1:5090),
// CLIENT_ID (demo-partner), CLIENT_SECRET (demo-partner-secret), WATCH_SECONDS (5).
using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using SupplierAssure.Partner.V1;

var portal = new Uri(Environment.GetEnvironmentVariable("PORTAL_URL") ?? "http://127.0.0.1:5080");
var gateway = new Uri(Environment.GetEnvironmentVariable("GATEWAY_URL") ?? "http://127.0.0.1:5090");
var watchSeconds = int.TryParse(Environment.GetEnvironmentVariable("WATCH_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 5;
var type = args.Length > 0 ? args[0] : "LEI";
var value = args.Length > 1 ? args[1] : "529900MERIDIAN000175";
if (!System.Enum.TryParse<IdentifierType>(type, ignoreCase: true, out var identifierType) || identifierType == IdentifierType.Unspecified)
{
    Console.Error.WriteLine($"Unknown identifier type '{type}'. Use one of: SupplierId, Lei, Duns, Eori, Vat.");
    return 2;
}

var supplier = new SupplierIdentifier { Type = identifierType, Value = value };
var accessToken = await GetTokenAsync();
if (accessToken is null)
{
    return 1;
}

using var channel = GrpcChannel.ForAddress(gateway);
var client = new PartnerExchange.PartnerExchangeClient(channel);
var headers = new Metadata { { "authorization", "Bearer " + accessToken } };
DateTime Deadline() => DateTime.UtcNow.AddSeconds(15);

try
{
    Step("GetSecurityStatus");
    var status = await client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = supplier }, headers, Deadline());
    Console.WriteLine(status);

    Step("BatchGetSecurityStatus (the supplier, one not shared with this partner, one malformed LEI)");
    var batch = await client.BatchGetSecurityStatusAsync(new BatchGetSecurityStatusRequest
    {
        Identifiers =
        {
            supplier,
            new SupplierIdentifier { Type = IdentifierType.Lei, Value = "529900CALDERA0000291" },
            new SupplierIdentifier { Type = IdentifierType.Lei, Value = "not-a-lei" },
        },
    }, headers, Deadline());
    foreach (var result in batch.Results)
    {
        Console.WriteLine(result.ResultCase == SecurityStatusResult.ResultOneofCase.Status
            ? $"  {result.Identifier.Value}: {result.Status.LegalName}, {result.Status.AssuranceStatus}, risk {result.Status.RiskRating}"
            : $"  {result.Identifier.Value}: {(StatusCode)result.Error.Code} {result.Error.Message}");
    }

    // Resume from a little before the supplier's last change, so the stream has history to replay.
    var cursor = Math.Max(0, status.LastChangeSequence - 3);
    Step($"WatchSecurityStatus from after_sequence = {cursor} for {watchSeconds} s");
    cursor = await WatchAsync(client, headers, cursor, TimeSpan.FromSeconds(watchSeconds));
    Console.WriteLine($"  resume later with after_sequence = {cursor}");

    Step("SubmitCredential (C-TPAT) with an idempotency key, then the same call again");
    var submit = new SubmitCredentialRequest
    {
        IdempotencyKey = Guid.NewGuid().ToString(),
        Supplier = supplier,
        Type = CredentialType.CTpat,
        Number = "CTP" + DateTime.UtcNow.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture),
        Issuer = "U.S. Customs and Border Protection",
        ValidUntil = Timestamp.FromDateTime(DateTime.UtcNow.AddYears(1)),
        Scope = "Ocean and air exports to the US",
        EvidenceReference = "https://partner.example/evidence/ctpat-certificate.pdf",
    };
    var credential = await WithRetriesAsync(() => client.SubmitCredentialAsync(submit, headers, Deadline()).ResponseAsync);
    var again = await WithRetriesAsync(() => client.SubmitCredentialAsync(submit, headers, Deadline()).ResponseAsync);
    Console.WriteLine($"  submitted {credential.CredentialId} ({credential.VerificationState}); retry with the same key returned {again.CredentialId}: {(again.CredentialId == credential.CredentialId ? "the same credential, nothing new created" : "A DIFFERENT ONE")}");

    Step("VerifyCredential");
    var verified = await WithRetriesAsync(() => client.VerifyCredentialAsync(
        new VerifyCredentialRequest { IdempotencyKey = Guid.NewGuid().ToString(), CredentialId = credential.CredentialId }, headers, Deadline()).ResponseAsync);
    Console.WriteLine($"  {verified.VerificationState}: {verified.VerificationNote}");

    Step("ListCredentials");
    var listed = await client.ListCredentialsAsync(new ListCredentialsRequest { Supplier = supplier }, headers, Deadline());
    foreach (var c in listed.Credentials)
    {
        Console.WriteLine($"  {c.Type} {c.Number} {c.Level} {c.VerificationState} (submitted {c.SubmittedAt.ToDateTime():yyyy-MM-dd HH:mm})");
    }

    Step("ReportSecurityIncident with an idempotency key, then the same call again");
    var incident = new ReportSecurityIncidentRequest
    {
        IdempotencyKey = Guid.NewGuid().ToString(),
        Supplier = supplier,
        Category = IncidentCategory.SealBreach,
        Severity = IncidentSeverity.Major,
        Summary = "Container arrived with a seal number different from the one on the shipping documents.",
        ShipmentReference = "MSCU1234565",
    };
    var reported = await WithRetriesAsync(() => client.ReportSecurityIncidentAsync(incident, headers, Deadline()).ResponseAsync);
    var reportedAgain = await WithRetriesAsync(() => client.ReportSecurityIncidentAsync(incident, headers, Deadline()).ResponseAsync);
    Console.WriteLine($"  finding {reported.FindingId}; retry returned {reportedAgain.FindingId}: {(reportedAgain.FindingId == reported.FindingId ? "the same finding" : "A DIFFERENT ONE")}");

    Step("GetSecurityStatus again (open findings and credentials now include the above)");
    var after = await client.GetSecurityStatusAsync(new GetSecurityStatusRequest { Identifier = supplier }, headers, Deadline());
    Console.WriteLine($"  open findings: {after.OpenFindings}; credentials: {after.Credentials.Count}; last change {after.LastChangeSequence}");
    return 0;
}
catch (RpcException ex)
{
    Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
    foreach (var violation in ex.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations ?? [])
    {
        Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
    }

    return 1;
}

async Task<string?> GetTokenAsync()
{
    using var http = new HttpClient { BaseAddress = portal };
    try
    {
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Environment.GetEnvironmentVariable("CLIENT_ID") ?? "demo-partner",
            ["client_secret"] = Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? "demo-partner-secret",
            ["scope"] = "partner.status.read partner.credentials.read partner.credentials.write partner.incidents.write",
        }));
        var json = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"Token request failed ({(int)response.StatusCode}): {json}");
            return null;
        }

        Console.WriteLine($"Got an access token from {portal}connect/token.");
        return JsonDocument.Parse(json).RootElement.GetProperty("access_token").GetString();
    }
    catch (HttpRequestException ex)
    {
        Console.Error.WriteLine($"Cannot reach the Portal at {portal}: {ex.Message}. Is scripts/run.sh running?");
        return null;
    }
}

static async Task<long> WatchAsync(PartnerExchange.PartnerExchangeClient client, Metadata headers, long cursor, TimeSpan duration)
{
    using var stop = new CancellationTokenSource(duration);
    using var call = client.WatchSecurityStatus(new WatchSecurityStatusRequest { AfterSequence = cursor }, headers, cancellationToken: stop.Token);
    try
    {
        await foreach (var change in call.ResponseStream.ReadAllAsync(stop.Token))
        {
            Console.WriteLine($"  #{change.Sequence} {change.SupplierId}: {change.PreviousStatus} -> {change.NewStatus} at {change.OccurredAt.ToDateTime():yyyy-MM-dd HH:mm:ss}, open findings {change.OpenFindings.Critical}/{change.OpenFindings.Major}/{change.OpenFindings.Minor}, {change.Credentials.Count} credentials");
            cursor = change.Sequence; // process, then remember: the cursor is the last change handled
        }
    }
    catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
    {
        // Our own time limit; a real client would keep the stream open and reconnect from the cursor on failure.
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // Same as above.
    }

    return cursor;
}

// Writes are idempotent by key, so a call that failed in transit (or timed out) is simply sent again unchanged.
static async Task<T> WithRetriesAsync<T>(Func<Task<T>> call)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (attempt < 3 && ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted)
        {
            Console.WriteLine($"  attempt {attempt}: {ex.StatusCode}; retrying with the same idempotency key");
            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }
}

static void Step(string title) => Console.WriteLine($"\n== {title}");
