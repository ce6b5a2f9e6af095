using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Migrations.Sqlite;

namespace SupplierAssure.Core.Tests;

/// <summary>A migrated SQLite database in a temporary file, deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sa-core-tests", Guid.NewGuid().ToString("N"));

    private TestDatabase()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")}";
    }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public SupplierAssureDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(builder, ConnectionString);
        return new SqliteSupplierAssureDbContext(builder.Options);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
