using ByokPortal.Core.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ByokPortal.Persistence.Tests;

/// <summary>The SQLite database is built by its migrations, and both migrations sets agree with the model.</summary>
public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_EmptyFile_AppliesEveryMigrationAndLeavesNonePending()
    {
        await using var database = SqliteTestDatabase.CreateEmpty();
        await using var db = database.CreateContext();
        var known = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(known);
        Assert.Equal(known, await db.Database.GetPendingMigrationsAsync(Ct));

        await db.Database.MigrateAsync(Ct);

        Assert.True(File.Exists(database.FilePath));
        Assert.Equal(known, await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_EmptyFile_CreatesEveryTableOfTheModel()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var db = database.CreateContext();

        var tables = await ReadSqliteTablesAsync(database.ConnectionString);

        // EF Core's own tables besides the model's: the history, and the lock SQLite migrations take.
        var expected = ModelTables(db).Append("__EFMigrationsHistory").Append("__EFMigrationsLock").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, tables.Where(t => !t.StartsWith("sqlite_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var db = database.CreateContext();
        var applied = (await db.Database.GetAppliedMigrationsAsync(Ct)).ToList();

        await db.Database.MigrateAsync(Ct);

        Assert.Equal(applied, await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public void HasPendingModelChanges_SqliteContext_IsFalse()
    {
        using var db = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=unused.db").Options);

        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model differs from Migrations/Sqlite: add a migration.");
    }

    [Fact]
    public void HasPendingModelChanges_SqlServerContext_IsFalse()
    {
        using var db = SqlServerScriptTests.CreateSqlServerContext();

        Assert.False(db.Database.HasPendingModelChanges(), "The SQL Server model differs from Migrations/SqlServer: add a migration.");
    }

    [Fact]
    public void Migrations_EachProvider_UseTheirOwnMigrationsSet()
    {
        using var sqlite = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=unused.db").Options);
        using var sqlServer = SqlServerScriptTests.CreateSqlServerContext();

        var sqliteMigrations = sqlite.GetService<IMigrationsAssembly>().Migrations.Values.Select(t => t.Namespace).Distinct().ToList();
        var sqlServerMigrations = sqlServer.GetService<IMigrationsAssembly>().Migrations.Values.Select(t => t.Namespace).Distinct().ToList();

        Assert.Equal(["ByokPortal.Persistence.Migrations.Sqlite"], sqliteMigrations);
        Assert.Equal(["ByokPortal.Persistence.Migrations.SqlServer"], sqlServerMigrations);
        Assert.Equal("ByokPortal.Persistence.Migrations.Sqlite", sqlite.GetService<IMigrationsAssembly>().ModelSnapshot?.GetType().Namespace);
        Assert.Equal("ByokPortal.Persistence.Migrations.SqlServer", sqlServer.GetService<IMigrationsAssembly>().ModelSnapshot?.GetType().Namespace);
    }

    [Fact]
    public void Model_EveryVersionedEntity_HasVersionAsConcurrencyToken()
    {
        using var sqlite = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=unused.db").Options);
        using var sqlServer = SqlServerScriptTests.CreateSqlServerContext();

        foreach (var db in new PortalDbContext[] { sqlite, sqlServer })
        {
            var versioned = db.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)).ToList();
            Assert.NotEmpty(versioned);
            Assert.All(versioned, t => Assert.True(t.FindProperty(nameof(IVersioned.Version))!.IsConcurrencyToken, $"{t.ClrType.Name}.Version is not a concurrency token."));
        }
    }

    internal static IEnumerable<string> ModelTables(DbContext db) =>
        db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal);

    private static async Task<List<string>> ReadSqliteTablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
