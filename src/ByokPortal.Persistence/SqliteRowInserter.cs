using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace ByokPortal.Persistence;

/// <summary>
/// <see cref="BulkWriter"/> on SQLite: one single-row INSERT, prepared once, stepped once per row with its values bound by position through
/// SQLite's own API. One row per statement keeps SQLite from writing a statement journal (a statement that writes several rows inside a
/// transaction keeps one: several temporary-file writes per row); binding by position, from the values as EF Core converts them (each
/// column's binder compiled once, <see cref="SqliteColumnBinder"/>), with text bound as UTF-8 from spans, spares what an ADO.NET command costs per row (a parameter object per value, a name lookup per bound parameter, a
/// string per GUID). Values are bound exactly as Microsoft.Data.Sqlite binds them (GUIDs as upper-case text), so the stored row is the one
/// SaveChanges stores (BulkInsertTests). A row that meets another connection's lock is retried until the connection's timeout.
/// </summary>
internal static class SqliteRowInserter
{
    private const int RowsBetweenYields = 64;

    /// <param name="sql">A statement of one row with a <c>?</c> per column, in the columns' order (an INSERT, or an upsert).</param>
    public static async Task ExecutePerRowAsync<T>(DbContext db, string sql, BulkWriter.Column[] columns, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        var openedHere = db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        if (openedHere)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            var timeout = TimeSpan.FromSeconds(Math.Max(1, db.Database.GetCommandTimeout() ?? connection.DefaultTimeout));
            var binders = Array.ConvertAll(columns, SqliteColumnBinder.For<T>);
            Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
            using (statement)
            {
                var written = 0;
                foreach (var row in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (++written % RowsBetweenYields == 0)
                    {
                        // SQLite's calls block the thread: a batch of a thousand usage rows is milliseconds of CPU, which would come whole in
                        // front of the requests waiting for a thread (the runtime's p99). Between slices they go first.
                        await Task.Yield();
                    }

                    for (var c = 0; c < binders.Length; c++)
                    {
                        Check(binders[c](row, statement, c + 1), handle);
                    }

                    await StepAsync(statement, handle, timeout, cancellationToken);
                }
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

    private static async Task StepAsync(sqlite3_stmt statement, sqlite3 handle, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        while (true)
        {
            var result = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (result == raw.SQLITE_DONE)
            {
                return;
            }

            if ((result is raw.SQLITE_BUSY or raw.SQLITE_LOCKED) && Environment.TickCount64 - started < timeout.TotalMilliseconds)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
                continue;
            }

            Check(result, handle);
        }
    }

    /// <summary>Binds one value as Microsoft.Data.Sqlite binds the same CLR value (what EF Core's parameters carry for this column).</summary>
    /// <remarks>The columns' compiled binders (<see cref="SqliteColumnBinder"/>) call the typed overloads of <c>BindValue</c> below; this is for the rest.</remarks>
    internal static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => BindNull(statement, index),
        string text => BindValue(statement, index, text),
        Guid guid => BindValue(statement, index, guid),
        long number => BindValue(statement, index, number),
        int number => BindValue(statement, index, number),
        short number => BindValue(statement, index, number),
        byte number => BindValue(statement, index, number),
        bool flag => BindValue(statement, index, flag),
        double number => BindValue(statement, index, number),
        float number => BindValue(statement, index, number),
        byte[] bytes => BindValue(statement, index, bytes),
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
            $"Bulk inserts on SQLite do not bind {value.GetType().Name} values; add it to {nameof(SqliteRowInserter)} or convert it in the model.")),
    };

    internal static int BindNull(sqlite3_stmt statement, int index) => raw.sqlite3_bind_null(statement, index);

    internal static int BindValue(sqlite3_stmt statement, int index, long value) => raw.sqlite3_bind_int64(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, int value) => raw.sqlite3_bind_int64(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, short value) => raw.sqlite3_bind_int64(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, byte value) => raw.sqlite3_bind_int64(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

    internal static int BindValue(sqlite3_stmt statement, int index, double value) => raw.sqlite3_bind_double(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, float value) => raw.sqlite3_bind_double(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, string value) => BindText(statement, index, value);

    internal static int BindValue(sqlite3_stmt statement, int index, byte[] value) => raw.sqlite3_bind_blob(statement, index, value);

    /// <summary>A GUID as Microsoft.Data.Sqlite binds it: upper-case text in the "D" format.</summary>
    internal static int BindValue(sqlite3_stmt statement, int index, Guid value)
    {
        Span<byte> utf8 = stackalloc byte[36];
        value.TryFormat(utf8, out _, "D");
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= (byte)'a')
            {
                utf8[i] -= 'a' - 'A'; // a–f: every other character of the format sorts before 'a'
            }
        }

        return raw.sqlite3_bind_text(statement, index, utf8);
    }

    /// <summary>
    /// Text as UTF-8, SQLite's storage encoding (nothing for SQLite to translate), encoded by <see cref="Encoding.UTF8"/> as
    /// Microsoft.Data.Sqlite encodes it; SQLite copies the bytes before this returns.
    /// </summary>
    private static int BindText(sqlite3_stmt statement, int index, string text)
    {
        const int OnStack = 512;
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most <= OnStack)
        {
            Span<byte> utf8 = stackalloc byte[OnStack];
            return raw.sqlite3_bind_text(statement, index, utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Check(int result, sqlite3 handle)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), result, raw.sqlite3_extended_errcode(handle));
        }
    }
}
