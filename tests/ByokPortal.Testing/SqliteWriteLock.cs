using Microsoft.Data.Sqlite;

namespace ByokPortal.Testing;

/// <summary>
/// Holds the write lock of a portal's SQLite file from another connection (<c>BEGIN EXCLUSIVE</c>), as a long write by another
/// process or a stuck backup would: the portal's writes wait their busy timeout, then fail with "database is locked". Reads go on
/// (the portal runs SQLite in write-ahead-log mode). Disposing releases the lock.
/// </summary>
public sealed class SqliteWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteWriteLock(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteWriteLock> TakeAsync(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "portal.db"),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        await begin.ExecuteNonQueryAsync();
        return new SqliteWriteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = _connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }
}
