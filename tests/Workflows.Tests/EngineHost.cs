using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupplierAssure.Core.Data;
using SupplierAssure.Migrations.Sqlite;

namespace SupplierAssure.Workflows.Tests;

/// <summary>
/// A generic host wired as the Portal wires it (a context factory for the database, then
/// <see cref="WorkflowsExtensions.AddSupplierAssureWorkflows"/>), with fast polling and retries for tests.
/// </summary>
internal static class EngineHost
{
    public static IHost Build(SqliteTestDatabase database, LogSink logs, bool enabled = true, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Workflows:Enabled"] = enabled ? "true" : "false",
            ["Workflows:PollInterval"] = "00:00:00.100",
            ["Workflows:StepRetryInterval"] = "00:00:00.300",
            // The registry adapters need an address; nothing listens on port 9 (tests that reach a registry give their own).
            ["CredentialRegistries:EuAeo:BaseAddress"] = "http://127.0.0.1:9/eu-aeo/",
            ["CredentialRegistries:Eori:BaseAddress"] = "http://127.0.0.1:9/eori/",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddDbContextFactory<SqliteSupplierAssureDbContext>(o => SqliteSupplierAssureDbContext.Configure(o, database.ConnectionString));
        builder.Services.AddSingleton<IDbContextFactory<SupplierAssureDbContext>>(sp =>
            new Upcast(sp.GetRequiredService<IDbContextFactory<SqliteSupplierAssureDbContext>>()));
        builder.AddSupplierAssureWorkflows();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, LogSink logs, TimeSpan? timeout = null, TimeSpan? pollInterval = null)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(50);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}. Logged warnings and errors:{Environment.NewLine}{logs.All}");
            }

            await Task.Delay(interval);
        }
    }

    private sealed class Upcast(IDbContextFactory<SqliteSupplierAssureDbContext> inner) : IDbContextFactory<SupplierAssureDbContext>
    {
        public SupplierAssureDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
