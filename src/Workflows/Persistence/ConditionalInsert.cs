using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SupplierAssure.Workflows.Persistence;

/// <summary>
/// "Insert this row unless one with the same key is there", as one statement that is plain SQL on SQLite and SQL
/// Server alike. Lock contention and duplicate commands are ordinary here, so they must come back as an answer,
/// not as a failed command: EF Core logs every failed command as an error, which would bury real failures.
/// </summary>
internal static class ConditionalInsert
{
    /// <returns>True when this call inserted the row; false when a row with the key values already existed.</returns>
    public static async Task<bool> InsertIfAbsentAsync<TEntity>(
        DbContext db,
        IReadOnlyList<(string Property, object Value)> values,
        IReadOnlyList<string> keyProperties,
        CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var tableName = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(
            entity.FindProperty(property)?.GetColumnName(store) ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped."));
        var table = sql.DelimitIdentifier(tableName, entity.GetSchema());
        var parameterOf = values.Select((v, i) => (v.Property, Name: "@p" + i)).ToDictionary(x => x.Property, x => x.Name, StringComparer.Ordinal);
        var columns = string.Join(", ", values.Select(v => Column(v.Property)));
        var parameters = string.Join(", ", values.Select(v => parameterOf[v.Property]));
        var match = string.Join(" AND ", keyProperties.Select(k => $"{Column(k)} = {parameterOf[k]}"));
        var text = $"INSERT INTO {table} ({columns}) SELECT {parameters} WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match})";

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = text;
            for (var i = 0; i < values.Count; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i;
                parameter.Value = values[i].Value;
                command.Parameters.Add(parameter);
            }

            try
            {
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
            catch (DbException)
            {
                // SQLite runs the statement atomically; SQL Server can let two of them pass NOT EXISTS at once, and
                // then the key refuses the second. That is the same answer ("someone else has it"); anything else
                // is a real failure and goes up.
                command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {match}";
                if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    return false;
                }

                throw;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
