using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Demo;
using SupplierAssure.Core.Tenancy;
using SupplierAssure.Migrations.Sqlite;
using SupplierAssure.Migrations.SqlServer;

namespace SupplierAssure.ServiceDefaults;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the database for the configured provider: a context factory (for background work, which sees all
    /// suppliers) and a request-scoped <see cref="SupplierAssureDbContext"/> narrowed to the caller's tenant.
    /// </summary>
    public static IHostApplicationBuilder AddSupplierAssureDatabase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var paths = SupplierAssurePaths.From(builder.Configuration["SupplierAssure:DataDirectory"], builder.Environment.ContentRootPath);
        services.AddSingleton(paths);

        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                connectionString = string.IsNullOrWhiteSpace(connectionString)
                    ? $"Data Source={Path.Combine(paths.DataDirectory, "supplierassure.db")}"
                    : connectionString.Replace("{DataDirectory}", paths.DataDirectory, StringComparison.Ordinal);
                services.AddDbContextFactory<SqliteSupplierAssureDbContext>(o => SqliteSupplierAssureDbContext.Configure(o, connectionString));
                services.AddSingleton<IDbContextFactory<SupplierAssureDbContext>>(sp =>
                    new UpcastFactory<SqliteSupplierAssureDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteSupplierAssureDbContext>>()));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SupplierAssure is not set.");
                }

                services.AddDbContextFactory<SqlServerSupplierAssureDbContext>(o => SqlServerSupplierAssureDbContext.Configure(o, connectionString));
                services.AddSingleton<IDbContextFactory<SupplierAssureDbContext>>(sp =>
                    new UpcastFactory<SqlServerSupplierAssureDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerSupplierAssureDbContext>>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<SupplierAssureDbContext>>().CreateDbContext();
            // Note: hosts that register an ITenantScopeAccessor (the Portal) get contexts narrowed to the caller;
            // hosts without one (the partner gateway, which filters by consent itself) get system scope.
            db.TenantAccessor = sp.GetService<ITenantScopeAccessor>();

            return db;
        });
        services.AddHealthChecks().AddDbContextCheck<SupplierAssureDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Creates or upgrades the schema and seeds demo data when configured. Safe to run from both hosts at once:
    /// EF Core takes its migration lock and the seeders serialise on the database writer lock.
    /// </summary>
    public static async Task InitialiseDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SupplierAssure.Database");
        var factory = services.GetRequiredService<IDbContextFactory<SupplierAssureDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);

        if (db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }

            // WAL lets the Portal and the gateway read while the other writes; the setting is kept in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // Asking for pending migrations reads the history table (10-30 ms); MigrateAsync also takes the migration lock
        // and compares the model with the snapshot (0.5-1 s per start even with nothing to apply). A start that races
        // another one to an upgrade still goes through MigrateAsync, which serialises them. Core.Tests fails on
        // model changes without a migration, the check MigrateAsync would otherwise make here.
        if (options.MigrateOnStartup && (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database schema is up to date ({Provider}).", db.Database.ProviderName);
        }

        if (options.SeedDemoData)
        {
            var clock = services.GetRequiredService<TimeProvider>();
            await DemoDataSeeder.SeedAsync(db, clock, cancellationToken);
            var scale = services.GetRequiredService<IConfiguration>()[ScaleDemoSeeder.ScaleSetting];
            if (await ScaleDemoSeeder.SeedIfConfiguredAsync(db, clock, scale, cancellationToken) is { Suppliers: > 0 } seeded)
            {
                logger.LogInformation("Scale demo data seeded: {Suppliers} suppliers, {Assessments} assessments, {Findings} findings, {Cases} corrective actions, {Credentials} credentials in {Seconds:0.0} s.",
                    seeded.Suppliers, seeded.Assessments, seeded.Findings, seeded.CorrectiveActions, seeded.Credentials, seeded.Elapsed.TotalSeconds);
            }
        }
    }

    private sealed class UpcastFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SupplierAssureDbContext>
        where TContext : SupplierAssureDbContext
    {
        public SupplierAssureDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
