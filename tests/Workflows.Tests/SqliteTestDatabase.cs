using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Migrations.Sqlite;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A real SQLite database file in its own temporary folder, brought to the current schema by the SQLite migrations
/// (never EnsureCreated, so the tests exercise the schema production gets).
/// </summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    private SqliteTestDatabase(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, "supplierassure.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();
        Factory = new ContextFactory(this);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public IDbContextFactory<SupplierAssureDbContext> Factory { get; }

    // One database migrated per test process; each test gets a copy of its file (1-3 s of migrations per test on the
    // loaded CI machine otherwise). The copy is the schema the migrations wrote, so the tests still see production's.
    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateMigratedTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A migrated database, in WAL mode as the hosts run it.</summary>
    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var template = await MigratedTemplate.Value;
        var database = CreateEmpty();
        File.Copy(template, database.FilePath);
        return database;
    }

    private static async Task<string> CreateMigratedTemplateAsync()
    {
        var template = CreateEmpty();
        await using (var db = template.CreateContext())
        {
            // WAL is recorded in the file's header, so every copy opens in WAL mode too.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return template.FilePath;
    }

    /// <summary>A folder for a database that nobody has migrated yet.</summary>
    public static SqliteTestDatabase CreateEmpty()
    {
        var directory = Path.Combine(Path.GetTempPath(), "supplierassure-workflow-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new SqliteTestDatabase(directory);
    }

    public SqliteSupplierAssureDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(builder, ConnectionString);
        return new SqliteSupplierAssureDbContext(builder.Options);
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the folder can go.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        // A stopping engine can still touch the -wal/-shm files for a moment; removing the temporary folder is
        // housekeeping, so a few tries and then leave it to the OS rather than fail a test that passed.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
                break;
            }
            catch (IOException) when (attempt < 4)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                break;
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class ContextFactory(SqliteTestDatabase database) : IDbContextFactory<SupplierAssureDbContext>
    {
        public SupplierAssureDbContext CreateDbContext() => database.CreateContext();
    }
}
