using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// On SQLite, usage rows and hourly totals are rowid tables without AUTOINCREMENT (which rewrites sqlite_sequence on every insert). EF Core
/// keeps its convention in the model (its snapshot cannot hold the opposite), so only the migration UsageRowidKeys says so: these tests
/// catch a later migration that rebuilds the tables with AUTOINCREMENT again.
/// </summary>
public sealed class UsageRowidMigrationTests
{
    private static readonly string[] UsageTables = ["UsageRecords", "UsageHours"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_EmptyFile_UsageTablesAreRowidTablesWithoutAutoincrement_WithEveryIndexOfTheModel()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var db = database.CreateContext();
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);

        foreach (var table in UsageTables)
        {
            var sql = await ScalarAsync<string>(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'");
            Assert.Contains("\"Id\" INTEGER NOT NULL CONSTRAINT \"PK_" + table + "\" PRIMARY KEY", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("AUTOINCREMENT", sql, StringComparison.OrdinalIgnoreCase);

            var entity = db.Model.GetEntityTypes().Single(t => t.GetTableName() == table);
            var expected = entity.GetIndexes().Select(i => i.GetDatabaseName()).OfType<string>().Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, await IndexesAsync(connection, table));
        }
    }

    [Fact]
    public async Task Migrate_FromAutoincrementTables_KeepsEveryRowAndItsId_AndNewRowsFollowThem()
    {
        await using var database = SqliteTestDatabase.CreateEmpty();
        await using (var db = database.CreateContext())
        {
            var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_UsageRowidKeys", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before, Ct);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO UsageRecords (Id, OccurredAt, Hour, EnterpriseId, OrganizationId, ApiKeyId, ProviderKeyId, ModelId, Operation, StatusCode, PromptTokens, CompletionTokens, DurationMs)
                VALUES (7, 1, 490000, 'E', 'O', 'A', NULL, 'gpt-4o', 'ChatCompletions', 200, 10, 3, 12), (41, 2, 490001, 'E', 'O', 'A', 'P', NULL, 'Resolve', 404, NULL, NULL, 1);
                INSERT INTO UsageHours (Id, Hour, EnterpriseId, OrganizationId, ApiKeyId, ProviderKeyId, ModelId, Requests, Errors, PromptTokens, CompletionTokens)
                VALUES (5, 490000, 'E', 'O', 'A', 'P', 'gpt-4o', 3, 1, 10, 3);
                """, Ct);
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync(Ct);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        Assert.Equal(
            "7|1|490000|E|O|A||gpt-4o|ChatCompletions|200|10|3|12;41|2|490001|E|O|A|P||Resolve|404|||1",
            await ScalarAsync<string>(connection, "SELECT group_concat(Id || '|' || OccurredAt || '|' || Hour || '|' || EnterpriseId || '|' || OrganizationId || '|' || ApiKeyId || '|' || ifnull(ProviderKeyId, '') || '|' || ifnull(ModelId, '') || '|' || Operation || '|' || StatusCode || '|' || ifnull(PromptTokens, '') || '|' || ifnull(CompletionTokens, '') || '|' || DurationMs, ';') FROM (SELECT * FROM UsageRecords ORDER BY Id)"));
        Assert.Equal("5|490000|P|gpt-4o|3|1|10|3", await ScalarAsync<string>(connection, "SELECT Id || '|' || Hour || '|' || ProviderKeyId || '|' || ModelId || '|' || Requests || '|' || Errors || '|' || PromptTokens || '|' || CompletionTokens FROM UsageHours"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM sqlite_sequence WHERE name IN ('UsageRecords', 'UsageHours')"));

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO UsageRecords (OccurredAt, Hour, EnterpriseId, OrganizationId, ApiKeyId, Operation, StatusCode, DurationMs) VALUES (3, 490002, 'E', 'O', 'A', 'Resolve', 200, 1) RETURNING Id";
        Assert.Equal(42L, (long)(await insert.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task MigrateDown_ToTheTotals_RestoresAutoincrementAndKeepsTheRows()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO UsageRecords (Id, OccurredAt, Hour, EnterpriseId, OrganizationId, ApiKeyId, Operation, StatusCode, DurationMs) VALUES (9, 1, 490000, 'E', 'O', 'A', 'Resolve', 200, 1)", Ct);
            var totals = db.Database.GetMigrations().Single(m => m.EndsWith("_UsageHourlyTotals", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(totals, Ct);
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        foreach (var table in UsageTables)
        {
            Assert.Contains("PRIMARY KEY AUTOINCREMENT", await ScalarAsync<string>(connection, $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"), StringComparison.Ordinal);
        }

        Assert.Equal(9L, await ScalarAsync<long>(connection, "SELECT Id FROM UsageRecords"));
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<List<string>> IndexesAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }
}
