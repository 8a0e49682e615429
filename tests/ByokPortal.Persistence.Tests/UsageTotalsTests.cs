using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// Usage is read from hourly totals (<see cref="UsageHour"/>) that <see cref="PortalDbContext.AppendUsageAsync"/> keeps with the rows it
/// appends: the totals must always equal the rows summed, across batches, for calls without a provider key or a model, and when several
/// instances write at once.
/// </summary>
public sealed class UsageTotalsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
    private static readonly Guid Enterprise = Guid.NewGuid();
    private static readonly Guid Organization = Guid.NewGuid();
    private static readonly Guid OtherOrganization = Guid.NewGuid();
    private static readonly Guid ApiKey = Guid.NewGuid();
    private static readonly Guid OtherApiKey = Guid.NewGuid();
    private static readonly Guid ProviderKey = Guid.NewGuid();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendUsage_OverSeveralBatches_KeepsTotalsEqualToTheRowsSummed()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        UsageRecord[][] batches =
        [
            [
                Row(At, Organization, ApiKey, ProviderKey, "gpt-4o", 200, 10, 5),
                Row(At.AddMinutes(1), Organization, ApiKey, ProviderKey, "gpt-4o", 200, 3, null),
                Row(At.AddMinutes(2), Organization, ApiKey, ProviderKey, "gpt-4o", 502, null, null),
                Row(At, Organization, ApiKey, null, "no-such-model", 404, null, null),
                Row(At, Organization, ApiKey, null, null, 400, null, null),
                Row(At.AddHours(-1), Organization, OtherApiKey, ProviderKey, "gpt-4o", 200, 1, 1),
            ],
            [
                Row(At.AddMinutes(5), Organization, ApiKey, ProviderKey, "gpt-4o", 200, 100, 50),
                Row(At.AddMinutes(6), Organization, ApiKey, null, "no-such-model", 404, null, null),
                Row(At.AddMinutes(7), Organization, ApiKey, null, null, 401, null, null),
                Row(At, OtherOrganization, Guid.NewGuid(), ProviderKey, "gpt-4o", 200, 7, 7),
            ],
            [Row(At.AddMinutes(9), Organization, ApiKey, ProviderKey, "gpt-4o", 429, null, null)],
        ];

        foreach (var batch in batches)
        {
            await using var db = database.CreateContext();
            await db.AppendUsageAsync(batch, Ct);
        }

        await using var read = database.CreateContext();
        var rows = await read.UsageRecords.AsNoTracking().ToListAsync(Ct);
        var totals = await read.UsageHours.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(batches.Sum(b => b.Length), rows.Count);
        var expected = rows
            .GroupBy(r => (r.Hour, r.OrganizationId, r.ApiKeyId, r.ProviderKeyId ?? UsageHour.NoProviderKey, r.ModelId ?? UsageHour.NoModel))
            .Select(g => (g.Key, Requests: (long)g.Count(), Errors: (long)g.Count(r => r.StatusCode >= 400),
                Prompt: g.Sum(r => (long)(r.PromptTokens ?? 0)), Completion: g.Sum(r => (long)(r.CompletionTokens ?? 0))))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal)
            .ToList();
        var actual = totals
            .Select(t => ((t.Hour, t.OrganizationId, t.ApiKeyId, t.ProviderKeyId, t.ModelId), t.Requests, t.Errors, t.PromptTokens, t.CompletionTokens))
            .OrderBy(t => t.ToString(), StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, actual); // one row per group: calls without a key or a model add to theirs too
        Assert.All(totals, t => Assert.Equal(Enterprise, t.EnterpriseId));
        var gpt4o = Assert.Single(totals, t => t.ApiKeyId == ApiKey && t.ModelId == "gpt-4o");
        Assert.Equal((5L, 2L, 113L, 55L), (gpt4o.Requests, gpt4o.Errors, gpt4o.PromptTokens, gpt4o.CompletionTokens));
    }

    [Fact]
    public async Task AppendUsage_FromSeveralConnectionsAtOnce_LosesNoAddition()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        const int Writers = 4, Batches = 15, PerBatch = 40;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                await using var db = database.CreateContext();
                await db.AppendUsageAsync([.. Enumerable.Range(0, PerBatch).Select(i => Row(At, Organization, ApiKey, ProviderKey, "gpt-4o", 200, 2, 1))], Ct);
            }
        }, Ct)));

        await using var read = database.CreateContext();
        var total = Assert.Single(await read.UsageHours.AsNoTracking().ToListAsync(Ct));
        const long Calls = Writers * Batches * PerBatch;
        Assert.Equal((Calls, 0L, 2 * Calls, Calls), (total.Requests, total.Errors, total.PromptTokens, total.CompletionTokens));
        Assert.Equal(Calls, await read.UsageRecords.LongCountAsync(Ct));
    }

    [Fact]
    public async Task AppendUsage_WhenTheTotalsCannotBeWritten_StoresNoRowEither()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse BEFORE INSERT ON UsageHours BEGIN SELECT RAISE(ABORT, 'refused'); END;", Ct);
        }

        await using (var db = database.CreateContext())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => db.AppendUsageAsync([Row(At, Organization, ApiKey, ProviderKey, "gpt-4o", 200, 1, 1)], Ct));
        }

        await using var read = database.CreateContext();
        Assert.Equal(0, await read.UsageRecords.CountAsync(Ct)); // one transaction: rows and totals never disagree
    }

    [Fact]
    public void AddToTotals_OnSqlServer_IsTSqlThatParses()
    {
        using var db = SqlServerScriptTests.CreateSqlServerContext();
        var sql = new BulkWriter(db).SqlServerTotalsStatement<UsageHour>(3);

        SqlServerScriptTests.Parse(sql, out var errors);

        Assert.True(errors.Count == 0, SqlServerScriptTests.FormatErrors(errors, sql));
        Assert.Equal(3, sql.Split("UPDATE [UsageHours] WITH (UPDLOCK, SERIALIZABLE) SET [CompletionTokens] = [CompletionTokens] + @p").Length - 1);
        Assert.Contains("IF @@ROWCOUNT = 0 INSERT INTO [UsageHours]", sql, StringComparison.Ordinal);
    }

    private static UsageRecord Row(DateTimeOffset at, Guid organization, Guid apiKey, Guid? providerKey, string? model, int status, int? prompt, int? completion) => new()
    {
        OccurredAt = at,
        Hour = UsageRecord.HourOf(at),
        EnterpriseId = Enterprise,
        OrganizationId = organization,
        ApiKeyId = apiKey,
        ProviderKeyId = providerKey,
        ModelId = model,
        Operation = UsageOperation.ChatCompletions,
        StatusCode = status,
        PromptTokens = prompt,
        CompletionTokens = completion,
        DurationMs = 3,
    };
}
