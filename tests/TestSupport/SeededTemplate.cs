using System.Globalization;
using System.Security.Cryptography;
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
/// The template is also shared between the test processes of one run (Portal, Browser and PartnerGateway tests each
/// made their own, 10-15 s each on the loaded CI machine): it is published under a name derived from the bytes of the
/// assemblies and settings that decide what the seed writes, and from the quarter hour, so a changed build or a later
/// run never reads an old one.
/// </summary>
public static class SeededTemplate
{
    private const string DatabaseFile = "supplierassure.db";
    private const string CompleteMarker = "template-complete";

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
        var root = Path.GetDirectoryName(TestPaths.NewDataDirectory())!;
        var now = DateTime.UtcNow;
        // A quarter of an hour at most between the seed and a host that starts from it (the seed dates things from its
        // own clock); a run crossing a quarter makes one more template.
        var quarter = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute / 15 * 15, 0, DateTimeKind.Utc);
        var shared = Path.Combine(root, $"template-{quarter:yyyyMMddHHmm}-{SeedInputsHash()}");
        if (File.Exists(Path.Combine(shared, CompleteMarker)))
        {
            return shared;
        }

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

        File.WriteAllText(Path.Combine(directory, CompleteMarker), now.ToString("O", CultureInfo.InvariantCulture));
        RemoveOldTemplates(root, now);
        try
        {
            // A rename within one folder is atomic: another process sees the whole template or none.
            Directory.Move(directory, shared);
            return shared;
        }
        catch (IOException) when (File.Exists(Path.Combine(shared, CompleteMarker)))
        {
            // Another test process published the same template first; use it, drop this copy.
            TestPaths.TryDelete(directory);
            return shared;
        }
    }

    /// <summary>The bytes of the Portal, Core, migrations, service defaults and test support assemblies and the Portal's settings.</summary>
    private static string SeedInputsHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Type[] decisive = [typeof(Portal.PortalApp), typeof(Core.Demo.DemoData), typeof(Migrations.Sqlite.SqliteSupplierAssureDbContext),
            typeof(ServiceDefaults.DatabaseExtensions), typeof(SeededTemplate)];
        foreach (var type in decisive)
        {
            hash.AppendData(File.ReadAllBytes(type.Assembly.Location));
        }

        // The Portal's own settings (the test host's content root is src/Portal); the test output folders hold whichever
        // project's appsettings.json was copied last (the gateway tests' folder holds the gateway's).
        foreach (var settings in Directory.EnumerateFiles(PortalContentRoot(), "appsettings*.json").Order(StringComparer.Ordinal))
        {
            hash.AppendData(File.ReadAllBytes(settings));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string PortalContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Portal");
            if (File.Exists(Path.Combine(candidate, "appsettings.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"src/Portal/appsettings.json not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Templates published more than a day ago: no test process lives that long.</summary>
    private static void RemoveOldTemplates(string root, DateTime now)
    {
        foreach (var old in Directory.EnumerateDirectories(root, "template-*"))
        {
            if (Directory.GetCreationTimeUtc(old) < now.AddDays(-1))
            {
                TestPaths.TryDelete(old);
            }
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith("-shm", StringComparison.Ordinal) || name == CompleteMarker)
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
