using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Data;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.PartnerGateway.Auth;
using SupplierAssure.TestSupport;

namespace SupplierAssure.PartnerGateway.Tests;

/// <summary>The access log's writer on a real SQLite file: a failing save is tried again, so no read goes unrecorded.</summary>
public sealed class PartnerAccessLogTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateDirectory(TestPaths.NewDataDirectory()).FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _connectionString = $"Data Source={Path.Combine(_dataDirectory, "access-log.db")}";
        await using var db = Create(_connectionString);
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        TestPaths.TryDelete(_dataDirectory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SaveFailsTwice_EntriesWrittenOnTheThirdTry()
    {
        var contexts = new FlakyFactory(_connectionString, failures: 2);
        using var log = new PartnerAccessLog(contexts, _clock, NullLogger<PartnerAccessLog>.Instance);
        var supplierId = Guid.NewGuid();

        // Both queued before the writer starts, so they go in one batch.
        await log.RecordAsync(new PartnerCaller("acme-logistics"), supplierId, "GetSecurityStatus", CancellationToken.None);
        await log.RecordAsync(new PartnerCaller("acme-logistics"), supplierId, "ListCredentials", CancellationToken.None);
        await log.StartAsync(CancellationToken.None);

        // The writer pauses between tries on the fake clock; move it on until both entries are in the database.
        var saved = 0;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (saved < 2 && !patience.IsCancellationRequested)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, CancellationToken.None);
            await using var db = Create(_connectionString);
            saved = await db.PartnerAccesses.CountAsync(a => a.SupplierId == supplierId, CancellationToken.None);
        }

        await log.StopAsync(CancellationToken.None);
        Assert.Equal(2, saved);
        Assert.Equal(3, contexts.Created); // two failed tries, then the save
    }

    private static SqliteSupplierAssureDbContext Create(string connectionString)
    {
        var options = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(options, connectionString);
        return new SqliteSupplierAssureDbContext(options.Options);
    }

    /// <summary>A real context factory whose first <c>failures</c> contexts cannot be had (the database unavailable).</summary>
    private sealed class FlakyFactory(string connectionString, int failures) : IDbContextFactory<SupplierAssureDbContext>
    {
        private int _failuresLeft = failures;

        public int Created { get; private set; }

        public SupplierAssureDbContext CreateDbContext()
        {
            Created++;
            if (_failuresLeft-- > 0)
            {
                throw new InvalidOperationException("The database is unavailable (test).");
            }

            return Create(connectionString);
        }
    }
}
