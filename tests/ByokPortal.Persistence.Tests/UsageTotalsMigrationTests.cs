using ByokPortal.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ByokPortal.Persistence.Tests;

/// <summary>Usage recorded before the hourly totals existed is summed into them by their migration.</summary>
public sealed class UsageTotalsMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_FromBeforeTheTotals_SumsTheRowsAlreadyRecorded()
    {
        await using var database = SqliteTestDatabase.CreateEmpty();
        await using (var db = database.CreateContext())
        {
            var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_UsageHourlyTotals", StringComparison.Ordinal)).Last();
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(before, Ct);
            var enterprise = Guid.NewGuid().ToString().ToUpperInvariant();
            var organization = Guid.NewGuid().ToString().ToUpperInvariant();
            var apiKey = Guid.NewGuid().ToString().ToUpperInvariant();
            var providerKey = Guid.NewGuid().ToString().ToUpperInvariant();
            foreach (var (hour, key, model, status, prompt) in new (long, string?, string?, int, int?)[]
            {
                (490_000, providerKey, "gpt-4o", 200, 10), (490_000, providerKey, "gpt-4o", 500, null), (490_000, null, null, 404, null),
                (490_000, null, null, 401, null), (490_001, providerKey, "gpt-4o", 200, 5),
            })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO UsageRecords (OccurredAt, Hour, EnterpriseId, OrganizationId, ApiKeyId, ProviderKeyId, ModelId, Operation, StatusCode, PromptTokens, CompletionTokens, DurationMs)
                    VALUES ({hour * 36_000_000_000}, {hour}, {enterprise}, {organization}, {apiKey}, {key}, {model}, 'ChatCompletions', {status}, {prompt}, {prompt}, 1)
                    """, Ct);
            }
        }

        await using (var db = database.CreateContext())
        {
            await db.Database.MigrateAsync(Ct);
        }

        await using var read = database.CreateContext();
        var totals = await read.UsageHours.AsNoTracking().OrderBy(t => t.Hour).ThenBy(t => t.ModelId).ToListAsync(Ct);
        Assert.Equal(
            [(490_000L, UsageHour.NoModel, true, 2L, 2L, 0L), (490_000L, "gpt-4o", false, 2L, 1L, 10L), (490_001L, "gpt-4o", false, 1L, 0L, 5L)],
            totals.Select(t => (t.Hour, t.ModelId, t.ProviderKeyId == UsageHour.NoProviderKey, t.Requests, t.Errors, t.PromptTokens)));
    }
}
