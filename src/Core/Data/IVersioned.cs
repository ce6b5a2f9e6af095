namespace SupplierAssure.Core.Data;

/// <summary>An entity guarded by optimistic concurrency: <see cref="Version"/> is bumped on every save.</summary>
public interface IVersioned
{
    long Version { get; set; }
}

/// <summary>A row that belongs to one supplier organisation; the tenant query filter applies to it.</summary>
public interface ISupplierOwned
{
    Guid SupplierId { get; }
}

internal static class DatabaseFacadeExtensions
{
    public static bool IsSqlServer(this Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        database.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer";
}
