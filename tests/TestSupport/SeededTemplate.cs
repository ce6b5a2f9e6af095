using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace SupplierAssure.TestSupport;

/// <summary>
/// A data directory holding the Portal's database migrated and seeded (demo data and identity seed) once per test
/// process, copied into each new <see cref="PortalFactory"/>'s directory before that host starts. Migrating and
/// seeding took 2-5 s of every test host's start on this machine, and the Portal tests start about two hundred.
/// </summary>
public static class SeededTemplate
{
    private const string DatabaseFile = "supplierassure.db";

    // Settings a test may give a host that starts from the template: none of them is read by the migrations or the
    // seeders, so the copied database is the one the host would have written itself.
    private static readonly string[] SafePrefixes =
        ["Logging:", "RateLimits:", "Notifications:", "PartnerGateway:", "Workflows:", "Mfa:", "Federation:"];

    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool CannotChangeTheSeed(string key) =>
        SafePrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Copies the template into <paramref name="dataDirectory"/> unless that already holds a database.</summary>
    public static void CopyTo(string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, DatabaseFile)))
        {
            return; // A restart test's second host: it must keep the first host's data.
        }

        Copy(Template.Value, dataDirectory);
    }

    private static string Create()
    {
        var directory = TestPaths.NewDataDirectory();
        using (var factory = new TemplateFactory(directory))
        {
            // Resolving the services runs the Portal's Program up to the host start: migrations, demo seed,
            // identity seed. The template host runs no hosted service, so no workflow, sweep or e-mail touches it.
            _ = factory.Services;
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, DatabaseFile)};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => TestPaths.TryDelete(directory);
        return directory;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith("-shm", StringComparison.Ordinal))
            {
                continue; // Checkpointed into the database file; a copied shared-memory index would be stale.
            }

            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed class TemplateFactory : PortalFactory
    {
        public TemplateFactory(string directory)
        {
            DataDirectory = directory;
            StartFromSeededTemplate = false;
            DeleteDataOnDispose = false;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.RemoveAll<IHostedService>());
        }
    }
}
