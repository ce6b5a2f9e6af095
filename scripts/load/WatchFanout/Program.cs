// Usage: WatchFanout <gateway-url> <sqlite-file> <bearer-token> <watchers>
// Opens <watchers> WatchSecurityStatus streams from the feed's current end, waits until every stream is open,
// appends one status change for the demo supplier Meridian, and prints how long it took to reach the streams.
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Status;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.Partner.V1;

if (args.Length != 4 || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var watchers) || watchers < 1)
{
    Console.Error.WriteLine("usage: WatchFanout <gateway-url> <sqlite-file> <bearer-token> <watchers>");
    return 2;
}

var options = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
SqliteSupplierAssureDbContext.Configure(options, $"Data Source={args[1]}");
var meridian = Guid.Parse("5a7c1d2e-2b7d-4f5e-8c1a-0d3b5a000001");
long start;
await using (var db = new SqliteSupplierAssureDbContext(options.Options))
{
    start = await db.StatusChanges.MaxAsync(c => (long?)c.Sequence) ?? 0;
}

// Kestrel allows 100 streams per HTTP/2 connection by default; let the client open as many connections as needed.
using var channel = GrpcChannel.ForAddress(args[0], new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
var client = new PartnerExchange.PartnerExchangeClient(channel);
var headers = new Metadata { { "authorization", "Bearer " + args[2] } };
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var clock = Stopwatch.StartNew();
var received = new double[watchers];
var opened = new TaskCompletionSource[watchers];
var calls = new List<Task>(watchers);
for (var i = 0; i < watchers; i++)
{
    var index = i;
    opened[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    calls.Add(Task.Run(async () =>
    {
        using var call = client.WatchSecurityStatus(new WatchSecurityStatusRequest { AfterSequence = start }, headers, cancellationToken: stop.Token);
        await call.ResponseHeadersAsync; // the server has accepted the stream
        opened[index].SetResult();
        if (await call.ResponseStream.MoveNext(stop.Token))
        {
            received[index] = clock.Elapsed.TotalMilliseconds;
        }
    }));
}

await Task.WhenAll(opened.Select(o => o.Task)).WaitAsync(stop.Token);
// Streams subscribe to the broadcaster right after their headers; give the last ones a moment to get there.
await Task.Delay(TimeSpan.FromSeconds(2));
double appendedAt;
await using (var db = new SqliteSupplierAssureDbContext(options.Options))
{
    db.StatusChanges.Add(new StatusChange
    {
        SupplierId = meridian,
        PreviousStatus = SupplierAssure.Core.Suppliers.AssuranceStatus.AssessmentInProgress,
        NewStatus = SupplierAssure.Core.Suppliers.AssuranceStatus.UnderReview,
        Reason = "load test",
        OccurredAt = DateTimeOffset.UtcNow,
    });
    appendedAt = clock.Elapsed.TotalMilliseconds;
    await db.SaveChangesAsync();
}

await Task.WhenAll(calls);
var latencies = received.Select(r => r - appendedAt).Order().ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"watchers={watchers} reached={latencies.Count(l => l > 0)} first_ms={latencies[0]:F0} p50_ms={latencies[watchers / 2]:F0} p99_ms={latencies[(int)(watchers * 0.99) - 1]:F0} all_ms={latencies[^1]:F0}"));
return latencies.All(l => l > 0) ? 0 : 1;
