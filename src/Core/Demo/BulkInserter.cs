using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SupplierAssure.Core.Data;

namespace SupplierAssure.Core.Demo;

/// <summary>
/// Inserts many rows of one entity type with one prepared INSERT, reusing EF Core's own mapping (table, columns,
/// value converters, parameter types) so that the rows are exactly what <c>SaveChanges</c> would write, on either
/// provider, without tracking a hundred thousand entities. For seeding only: no <see cref="IVersioned"/> bump, no
/// interceptors, no cascade; the caller sets every value, keys included, and supplies the transaction.
/// </summary>
internal sealed class BulkInserter<T> : IAsyncDisposable
    where T : class
{
    private readonly DbCommand _command;
    private readonly (IProperty Property, RelationalTypeMapping Mapping)[] _columns;

    public BulkInserter(SupplierAssureDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && !p.IsShadowProperty())
            .Select(p => (p, p.GetRelationalTypeMapping()))];

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts run inside the seeding transaction.");
        _command = transaction.Connection!.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
            + string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))
            + ") VALUES ("
            + string.Join(", ", _columns.Select((_, i) => "@p" + i))
            + ")";
    }

    public int Count { get; private set; }

    public async Task AddAsync(T row, CancellationToken cancellationToken)
    {
        _command.Parameters.Clear();
        for (var i = 0; i < _columns.Length; i++)
        {
            var (property, mapping) = _columns[i];
            // CreateParameter applies the property's value converter (enums as names, instants as numbers on SQLite)
            // and the provider's parameter settings (GUIDs as text on SQLite), as EF Core does when it saves.
            _command.Parameters.Add(mapping.CreateParameter(_command, "@p" + i, property.GetGetter().GetClrValue(row), property.IsNullable));
        }

        await _command.ExecuteNonQueryAsync(cancellationToken);
        Count++;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
