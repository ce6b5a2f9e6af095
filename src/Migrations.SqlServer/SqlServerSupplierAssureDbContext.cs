using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Migrations.SqlServer;

/// <summary>The SQL Server flavour of the database; its migrations live in this assembly.</summary>
public sealed class SqlServerSupplierAssureDbContext(DbContextOptions<SqlServerSupplierAssureDbContext> options) : SupplierAssureDbContext(options)
{
    public static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString, o => o.MigrationsAssembly(typeof(SqlServerSupplierAssureDbContext).Assembly.GetName().Name));
}

/// <summary>Used by dotnet-ef at design time only; no server is contacted to add a migration or write a script.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerSupplierAssureDbContext>
{
    public SqlServerSupplierAssureDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerSupplierAssureDbContext>();
        SqlServerSupplierAssureDbContext.Configure(builder, "Server=(local);Database=SupplierAssure_Design;Integrated Security=true;TrustServerCertificate=true");
        return new SqlServerSupplierAssureDbContext(builder.Options);
    }
}
