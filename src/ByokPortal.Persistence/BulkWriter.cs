using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ByokPortal.Persistence;

/// <summary>
/// Appends many rows of one entity type, or adds them to totals kept by the entity's unique index (<see cref="AddToTotalsAsync"/>): on SQL Server with multi-row INSERT statements (a few hundred rows each, under its 2,100
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

        var (table, columns) = Shape<T>();
        var head = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Delimited))}) VALUES ";
        if (db is SqlitePortalDbContext)
        {
            await SqliteRowInserter.ExecutePerRowAsync(db, head + "(" + string.Join(", ", columns.Select(_ => "?")) + ")", columns, rows, cancellationToken);
            return;
        }

        var perStatement = Math.Max(1, MaxParameters / columns.Length);
        await ExecuteChunkedAsync(rows, perStatement, columns.Length, (count, name) => head + string.Join(", ", Enumerable.Range(0, count)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, columns.Length).Select(c => name(r, c))) + ")")), columns, cancellationToken);
    }

    /// <summary>
    /// Adds rows to totals kept in the database: a row whose values of the entity's unique index are already stored adds its other columns
    /// to the stored ones; any other row is inserted. Each row is one atomic statement, so instances adding at once never lose an addition
    /// (SQLite: INSERT … ON CONFLICT DO UPDATE; SQL Server: UPDATE under a key-range lock, then INSERT when it changed nothing).
    /// </summary>
    public async Task AddToTotalsAsync<T>(IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var totals = TotalsShape<T>();
        if (db is SqlitePortalDbContext)
        {
            var upsert = $"INSERT INTO {totals.Table} ({string.Join(", ", totals.Columns.Select(c => c.Delimited))}) "
                + $"VALUES ({string.Join(", ", totals.Columns.Select(_ => "?"))}) "
                + $"ON CONFLICT ({string.Join(", ", totals.Columns.Where((_, i) => totals.IsKey[i]).Select(c => c.Delimited))}) "
                + $"DO UPDATE SET {totals.Sums(i => "excluded." + totals.Columns[i].Delimited)}";
            await SqliteRowInserter.ExecutePerRowAsync(db, upsert, totals.Columns, rows, cancellationToken);
            return;
        }

        var perStatement = Math.Max(1, MaxParameters / totals.Columns.Length);
        await ExecuteChunkedAsync(rows, perStatement, totals.Columns.Length, (count, name) => SqlServerTotals(totals, count, name), totals.Columns, cancellationToken);
    }

    /// <summary>The T-SQL that adds <paramref name="count"/> rows to <typeparamref name="T"/>'s totals, parameters <c>@p0…</c> row by row.</summary>
    internal string SqlServerTotalsStatement<T>(int count)
        where T : class
    {
        var totals = TotalsShape<T>();
        return SqlServerTotals(totals, count, (r, c) => "@p" + ((r * totals.Columns.Length) + c));
    }

    private static string SqlServerTotals(Totals totals, int count, Func<int, int, string> name) => string.Join("\n", Enumerable.Range(0, count).Select(r =>
        $"UPDATE {totals.Table} WITH (UPDLOCK, SERIALIZABLE) SET {totals.Sums(c => name(r, c))} WHERE "
        + string.Join(" AND ", totals.Columns.Select((c, i) => (c, i)).Where(x => totals.IsKey[x.i]).Select(x => $"{x.c.Delimited} = {name(r, x.i)}")) + ";\n"
        + $"IF @@ROWCOUNT = 0 INSERT INTO {totals.Table} ({string.Join(", ", totals.Columns.Select(c => c.Delimited))}) VALUES ("
        + string.Join(", ", Enumerable.Range(0, totals.Columns.Length).Select(c => name(r, c))) + ");"));

    /// <summary>The columns of totals kept by the entity's unique index: those of the index are the key, every other one is a sum.</summary>
    private Totals TotalsShape<T>()
        where T : class
    {
        var (table, columns) = Shape<T>();
        var entityType = db.Model.FindEntityType(typeof(T))!;
        var storeTable = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var unique = entityType.GetIndexes().SingleOrDefault(i => i.IsUnique)
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no unique index to keep totals by.");
        var keyNames = unique.Properties.Select(p => p.GetColumnName(storeTable)!).ToHashSet(StringComparer.Ordinal);
        return new Totals(table, columns, [.. columns.Select(c => keyNames.Contains(c.Name))]);
    }

    private sealed record Totals(string Table, Column[] Columns, bool[] IsKey)
    {
        /// <summary>"sum = sum + added(i)" for every column that is not part of the key.</summary>
        public string Sums(Func<int, string> added) => string.Join(", ", Columns.Select((c, i) => (c, i)).Where(x => !IsKey[x.i])
            .Select(x => $"{x.c.Delimited} = {x.c.Delimited} + {added(x.i)}"));
    }

    /// <summary>The delimited table name and the columns written (every mapped one but a database-generated integer key).</summary>
    private (string Table, Column[] Columns) Shape<T>()
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && !IsDatabaseGeneratedKey(p))
            .Select(p => new Column(p.GetColumnName(table)!, sql.DelimitIdentifier(p.GetColumnName(table)!), p.GetRelationalTypeMapping(), p))
            .ToArray();
        return (sql.DelimitIdentifier(table.Name, table.Schema), columns);
    }

    /// <summary>
    /// Runs <paramref name="text"/> for every chunk of rows (SQL Server): the statement for a chunk's row count, with parameter
    /// <c>name(row, column)</c> bound to that row's column, inside the context's current transaction if any.
    /// </summary>
    private async Task ExecuteChunkedAsync<T>(
        IReadOnlyCollection<T> rows, int perStatement, int width, Func<int, Func<int, int, string>, string> text, Column[] columns, CancellationToken cancellationToken)
        where T : class
    {
        var names = Enumerable.Range(0, Math.Min(rows.Count, perStatement) * width).Select(i => "@p" + i).ToArray();
        string Name(int row, int column) => names[(row * width) + column];

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
                    command.CommandText = text(chunk.Length, Name);
                    shapedFor = chunk.Length;
                }

                // New parameters for every statement: a provider may size a parameter by its value (SQL Server strings).
                command.Parameters.Clear();
                for (var r = 0; r < chunk.Length; r++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var column = columns[c];
                        command.Parameters.Add(column.Mapping.CreateParameter(command, Name(r, c), column.Property.GetGetter().GetClrValue(chunk[r]), column.Property.IsNullable));
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

    internal sealed record Column(string Name, string Delimited, RelationalTypeMapping Mapping, IProperty Property);
}
