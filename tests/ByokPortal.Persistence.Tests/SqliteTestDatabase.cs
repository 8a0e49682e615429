using ByokPortal.Persistence;
using ByokPortal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// A real SQLite file in a fresh temp folder, built by the migrations (never <c>EnsureCreated</c>, never the in-memory provider).
/// Each <see cref="CreateContext"/> is a new short-lived context over the same file, as the use cases get them.
/// </summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("byokportal-persistence");

    private SqliteTestDatabase()
    {
        FilePath = Path.Combine(_directory.Path, "portal.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        Options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(ConnectionString).Options;
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public DbContextOptions<SqlitePortalDbContext> Options { get; }

    /// <summary>An empty file path: nothing is created until the migrations run.</summary>
    public static SqliteTestDatabase CreateEmpty() => new();

    public static async Task<SqliteTestDatabase> CreateMigratedAsync()
    {
        var database = new SqliteTestDatabase();
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return database;
    }

    public SqlitePortalDbContext CreateContext() => new(Options);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
