using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ByokPortal.Persistence;

/// <summary>
/// Appends many rows of one entity type: on SQL Server with multi-row INSERT statements (a few hundred rows each, under its 2,100
/// parameters); on SQLite with one prepared single-row INSERT executed per row through SQLite's own API (<see cref="SqliteRowInserter"/>).
/// Rows go inside the context's current transaction if there is one, taking table, columns and value conversions from the EF Core model,
/// so the stored values are exactly what SaveChanges would store. It bypasses the change tracker and SaveChanges, hence its interceptors
/// (policy versions, row versions): for append-only data written at volume (usage records) and fixtures, never for what changes policy.
/// Database-generated integer keys are left to the database.
/// </summary>
internal sealed class BulkWriter(PortalDbContext db)
{
    private const int MaxParameters = 2_000;

    public async Task InsertAsync<T>(IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && !IsDatabaseGeneratedKey(p))
            .Select(p => new Column(p.GetColumnName(table)!, p.GetRelationalTypeMapping(), p.GetGetter(), p.IsNullable))
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";
        if (db is SqlitePortalDbContext)
        {
            await SqliteRowInserter.InsertAsync(db, head, columns, rows, cancellationToken);
            return;
        }

        var perStatement = Math.Max(1, MaxParameters / columns.Length);
        var names = Enumerable.Range(0, Math.Min(rows.Count, perStatement) * columns.Length).Select(i => "@p" + i).ToArray();

        var openedHere = db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        if (openedHere)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var shapedFor = 0;
            foreach (var chunk in rows.Chunk(perStatement))
            {
                if (chunk.Length != shapedFor)
                {
                    command.CommandText = head + string.Join(", ", Enumerable.Range(0, chunk.Length)
                        .Select(r => "(" + string.Join(", ", names.AsSpan(r * columns.Length, columns.Length).ToArray()) + ")"));
                    shapedFor = chunk.Length;
                }

                // New parameters for every statement: a provider may size a parameter by its value (SQL Server strings).
                command.Parameters.Clear();
                for (var r = 0; r < chunk.Length; r++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var column = columns[c];
                        command.Parameters.Add(column.Mapping.CreateParameter(command, names[(r * columns.Length) + c], column.Getter.GetClrValue(chunk[r]), column.Nullable));
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (openedHere)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static bool IsDatabaseGeneratedKey(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

    internal sealed record Column(string Name, RelationalTypeMapping Mapping, Microsoft.EntityFrameworkCore.Metadata.IClrPropertyGetter Getter, bool Nullable);
}
