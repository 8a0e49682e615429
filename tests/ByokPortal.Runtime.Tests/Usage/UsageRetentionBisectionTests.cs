using ByokPortal.Core.Usage;
using ByokPortal.Persistence;
using ByokPortal.Runtime.Usage;
using ByokPortal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Tests.Usage;

/// <summary>
/// The retention finds the usage rows before its cutoff by bisecting their Ids (they have no index on their hour), on a real SQLite file:
/// rows written in time order go exactly; a row written out of order is never deleted before its time.
/// </summary>
public sealed class UsageRetentionBisectionTests : IAsyncLifetime
{
    private const long Cutoff = 500_000;
    private readonly TempDirectory _directory = new("byokportal-retention");
    private DbContextOptions<SqlitePortalDbContext> _options = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _options = new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory.Path, "portal.db") }.ToString()).Options;
        await using var db = new SqlitePortalDbContext(_options);
        await db.Database.MigrateAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(new long[0], new long[0])]
    [InlineData(new long[] { Cutoff, Cutoff + 1 }, new long[] { Cutoff, Cutoff + 1 })]
    [InlineData(new long[] { Cutoff - 2, Cutoff - 1 }, new long[0])]
    [InlineData(new long[] { Cutoff - 3, Cutoff - 3, Cutoff - 2, Cutoff - 1, Cutoff - 1, Cutoff, Cutoff, Cutoff + 2 }, new long[] { Cutoff, Cutoff, Cutoff + 2 })]
    [InlineData(new long[] { Cutoff - 9, Cutoff - 8, Cutoff - 7, Cutoff - 6, Cutoff - 5, Cutoff - 4, Cutoff - 3, Cutoff - 2, Cutoff - 1, Cutoff }, new long[] { Cutoff })]
    public async Task RowsInTimeOrder_ExactlyThoseBeforeTheCutoffGo(long[] hours, long[] kept)
    {
        await AppendAsync(hours);

        await using var db = new SqlitePortalDbContext(_options);
        var deleted = await UsageRetention.DeleteBeforeAsync(db, Cutoff, Ct);

        Assert.Equal(hours.Length - kept.Length, deleted);
        Assert.Equal(kept, await db.UsageRecords.OrderBy(u => u.Id).Select(u => u.Hour).ToArrayAsync(Ct));
    }

    [Fact]
    public async Task RowsWrittenOutOfOrder_AreNeverDeletedEarly_AndGoOnceTheCutoffIsPastThem()
    {
        // Instances whose clocks disagree: a row within the retention (Cutoff + 5) sits among older ones, and an old row comes last.
        await AppendAsync([Cutoff - 30, Cutoff - 20, Cutoff + 5, Cutoff - 24, Cutoff - 22, Cutoff + 6, Cutoff - 25]);

        await using (var db = new SqlitePortalDbContext(_options))
        {
            await UsageRetention.DeleteBeforeAsync(db, Cutoff, Ct);

            // The Ids up to the fifth row are bisected as before the cutoff, yet the row within the retention among them stays; the old
            // row written last waits for a later run.
            Assert.Equal(new[] { Cutoff + 5, Cutoff + 6, Cutoff - 25 }, await db.UsageRecords.OrderBy(u => u.Id).Select(u => u.Hour).ToArrayAsync(Ct));
        }

        await using (var db = new SqlitePortalDbContext(_options))
        {
            await UsageRetention.DeleteBeforeAsync(db, Cutoff + 7, Ct);

            Assert.Empty(await db.UsageRecords.ToArrayAsync(Ct));
        }
    }

    [Fact]
    public async Task HourlyTotalsBeforeTheCutoff_AreDeleted_TheRestKept()
    {
        await AppendAsync([Cutoff - 1, Cutoff]);

        await using var db = new SqlitePortalDbContext(_options);
        await UsageRetention.DeleteBeforeAsync(db, Cutoff, Ct);

        Assert.Equal(new[] { Cutoff }, await db.UsageHours.Select(u => u.Hour).ToArrayAsync(Ct));
    }

    private async Task AppendAsync(long[] hours)
    {
        await using var db = new SqlitePortalDbContext(_options);
        var apiKey = Guid.NewGuid();
        await db.AppendUsageAsync([.. hours.Select(hour => new UsageRecord
        {
            OccurredAt = UsageRecord.StartOfHour(hour), Hour = hour, EnterpriseId = Guid.Empty, OrganizationId = Guid.Empty, ApiKeyId = apiKey,
            ModelId = "m", Operation = UsageOperation.Resolve, StatusCode = 200,
        })], Ct);
    }
}
