using ByokPortal.Core.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// Usage rows are appended by <see cref="PortalDbContext.BulkInsertAsync{TEntity}"/> (one prepared single-row INSERT per row on SQLite),
/// not by SaveChanges: every stored column, with its SQLite storage class, must be exactly what SaveChanges stores, for every row of a
/// batch — nulls after values and values after nulls included.
/// </summary>
public sealed class BulkInsertTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkInsert_StoresEveryRowExactlyAsSaveChangesDoes()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var enterprise = Guid.NewGuid();
        var bulk = Rows(enterprise, "bulk");
        var tracked = Rows(enterprise, "tracked");

        await using (var db = database.CreateContext())
        {
            await db.BulkInsertAsync(bulk, Ct);
            db.UsageRecords.AddRange(tracked);
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreateContext();
        var stored = await read.Database.SqlQueryRaw<string>(
            """
            SELECT ModelId || '|' || typeof(OccurredAt) || ':' || OccurredAt || '|' || Hour || '|' || EnterpriseId || '|' || OrganizationId
                || '|' || ApiKeyId || '|' || typeof(ProviderKeyId) || ':' || ifnull(ProviderKeyId, '') || '|' || Operation || '|' || StatusCode
                || '|' || typeof(PromptTokens) || ':' || ifnull(PromptTokens, '') || '|' || typeof(CompletionTokens) || ':' || ifnull(CompletionTokens, '')
                || '|' || DurationMs AS Value
            FROM UsageRecords ORDER BY Id
            """).ToListAsync(Ct);

        Assert.Equal(2 * bulk.Length, stored.Count);
        var fromBulk = stored.Where(s => s.StartsWith("bulk", StringComparison.Ordinal)).Select(s => s["bulk".Length..]).ToList();
        var fromSaveChanges = stored.Where(s => s.StartsWith("tracked", StringComparison.Ordinal)).Select(s => s["tracked".Length..]).ToList();
        Assert.Equal(fromSaveChanges, fromBulk);
        Assert.Equal(bulk.Length, fromBulk.Distinct().Count());

        var roundTrip = await read.UsageRecords.Where(u => u.ModelId!.StartsWith("bulk")).OrderBy(u => u.Id).ToListAsync(Ct);
        Assert.Equal(bulk.Select(u => (u.OccurredAt, u.ProviderKeyId, u.Operation, u.PromptTokens, u.CompletionTokens)),
            roundTrip.Select(u => (u.OccurredAt, u.ProviderKeyId, u.Operation, u.PromptTokens, u.CompletionTokens)));
    }

    [Fact]
    public async Task BulkInsert_WhenAnotherConnectionHoldsTheWriteLock_WaitsForIt_ThenStoresEveryRow()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using var other = new SqliteConnection(database.ConnectionString);
        await other.OpenAsync(Ct);
        await Execute(other, "BEGIN IMMEDIATE;");

        await using var db = database.CreateContext();
        var rows = Rows(Guid.NewGuid(), "waited");
        var insert = db.BulkInsertAsync(rows, Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(insert.IsCompleted); // waiting for the lock, not failed

        await Execute(other, "COMMIT;");
        await insert;
        await using var read = database.CreateContext();
        Assert.Equal(rows.Length, await read.UsageRecords.CountAsync(u => u.ModelId!.StartsWith("waited"), Ct));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static UsageRecord[] Rows(Guid enterprise, string prefix)
    {
        var organization = Guid.Parse("6f1c2d4e-0000-4000-8000-000000000001");
        var apiKey = Guid.Parse("6f1c2d4e-0000-4000-8000-000000000002");
        var providerKey = Guid.Parse("6f1c2d4e-0000-4000-8000-000000000003");
        var at = new DateTimeOffset(2026, 11, 30, 1, 2, 3, 456, TimeSpan.Zero);
        UsageRecord Row(string model, DateTimeOffset when, Guid? key, UsageOperation operation, int status, int? prompt, int? completion, int ms) => new()
        {
            OccurredAt = when,
            Hour = UsageRecord.HourOf(when),
            EnterpriseId = enterprise,
            OrganizationId = organization,
            ApiKeyId = apiKey,
            ProviderKeyId = key,
            ModelId = prefix + model,
            Operation = operation,
            StatusCode = status,
            PromptTokens = prompt,
            CompletionTokens = completion,
            DurationMs = ms,
        };

        return
        [
            Row("-gpt-4o", at, providerKey, UsageOperation.ChatCompletions, 200, 12, 34, 5),
            Row("-unknown", at.AddMinutes(-90), null, UsageOperation.Resolve, 404, null, null, 0),
            Row("-embed", new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.FromHours(-5)), providerKey, UsageOperation.Embeddings, 200, 7, null, 1),
            Row("-refused", at.AddDays(-3), providerKey, UsageOperation.Messages, 401, null, null, 2),
            Row("-mødèl-模型-🙂", at, providerKey, UsageOperation.ChatCompletions, 200, 1, 1, 1), // text beyond ASCII, as UTF-8
            Row("-lone-\ud800-surrogate", at, providerKey, UsageOperation.ChatCompletions, 200, 1, 1, 1), // what JSON's "\ud800" reads as
        ];
    }
}
