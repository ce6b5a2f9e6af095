using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Migrations.Sqlite;

/// <summary>The SQLite flavour of the database; its migrations live in this assembly.</summary>
public sealed class SqliteSupplierAssureDbContext(DbContextOptions<SqliteSupplierAssureDbContext> options) : SupplierAssureDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no native DateTimeOffset or decimal: store instants as sortable integers and scores as REAL
        // so that range filters and ORDER BY run in the database instead of failing or running on the client.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
    }

    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsAssembly(typeof(SqliteSupplierAssureDbContext).Assembly.GetName().Name));
}

/// <summary>Used by dotnet-ef at design time only.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSupplierAssureDbContext>
{
    public SqliteSupplierAssureDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteSupplierAssureDbContext>();
        SqliteSupplierAssureDbContext.Configure(builder, "Data Source=design-time.db");
        return new SqliteSupplierAssureDbContext(builder.Options);
    }
}
