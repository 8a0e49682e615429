using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.People;
using ByokPortal.Persistence.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Persistence.Tests;

/// <summary>
/// SQLite has no DateTimeOffset type: the SQLite context stores it as a sortable INTEGER, so the audit log can filter and order by time
/// in the database. These tests write real rows and compare in SQL, not in memory.
/// </summary>
public sealed class DateTimeOffsetStorageTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid EnterpriseId = Guid.NewGuid();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OccurredAt_RangeFilter_ReturnsOnlyEventsInsideTheRange()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var times = await RecordShuffledAsync(database, Start);
        var from = Start.AddHours(1);
        var to = Start.AddDays(2);

        await using var db = database.CreateContext();
        var found = await db.AuditEvents.Where(e => e.OccurredAt >= from && e.OccurredAt < to).Select(e => e.OccurredAt).ToListAsync(Ct);

        Assert.Equal(times.Where(t => t >= from && t < to).Order(), found.Order());
        Assert.NotEmpty(found);
        Assert.NotEqual(times.Count, found.Count);
    }

    [Fact]
    public async Task OccurredAt_OrderBy_SortsByTimeNotByInsertionOrder()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var times = await RecordShuffledAsync(database, Start);

        await using var db = database.CreateContext();
        var ascending = await db.AuditEvents.OrderBy(e => e.OccurredAt).Select(e => e.OccurredAt).ToListAsync(Ct);
        var descending = await db.AuditEvents.OrderByDescending(e => e.OccurredAt).Select(e => e.OccurredAt).ToListAsync(Ct);

        Assert.Equal(times.Order(), ascending);
        Assert.Equal(times.OrderDescending(), descending);
        Assert.NotEqual(ascending, await db.AuditEvents.OrderBy(e => e.Id).Select(e => e.OccurredAt).ToListAsync(Ct));
    }

    [Fact]
    public async Task OccurredAt_AcrossYearsAndBeforeTheUnixEpoch_SortsCorrectly()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        DateTimeOffset[] times =
        [
            new(2099, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new(1969, 12, 31, 23, 59, 59, TimeSpan.Zero),
            DateTimeOffset.UnixEpoch,
            new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new(2025, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
            new(2000, 2, 29, 12, 0, 0, TimeSpan.Zero),
        ];
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.AddRange(times.Select(NewEvent));
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreateContext();
        var from = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(times.Order(), await read.AuditEvents.OrderBy(e => e.OccurredAt).Select(e => e.OccurredAt).ToListAsync(Ct));
        Assert.Equal(times.Where(t => t >= from).Order(), await read.AuditEvents.Where(e => e.OccurredAt >= from).OrderBy(e => e.OccurredAt).Select(e => e.OccurredAt).ToListAsync(Ct));
    }

    [Fact]
    public async Task OccurredAt_NonUtcOffsets_FilterAndSortByTheInstant()
    {
        // 10:00+02:00 is 08:00 UTC: before 09:00 UTC although its clock time is later.
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var early = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));
        var middle = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        var late = new DateTimeOffset(2026, 5, 1, 5, 30, 0, TimeSpan.FromHours(-5));
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.AddRange(NewEvent(late), NewEvent(early), NewEvent(middle));
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreateContext();
        var ordered = await read.AuditEvents.OrderBy(e => e.OccurredAt).Select(e => e.OccurredAt).ToListAsync(Ct);
        var from = new DateTimeOffset(2026, 5, 1, 11, 0, 0, TimeSpan.FromHours(2)); // 09:00 UTC
        var fromNine = await read.AuditEvents.Where(e => e.OccurredAt >= from).Select(e => e.OccurredAt).ToListAsync(Ct);

        Assert.Equal([early.UtcDateTime, middle.UtcDateTime, late.UtcDateTime], ordered.Select(t => t.UtcDateTime));
        Assert.Equal([middle.UtcDateTime, late.UtcDateTime], fromNine.Select(t => t.UtcDateTime).Order());
    }

    [Fact]
    public async Task OccurredAt_RoundTrip_KeepsTheInstantToTheMillisecond()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var occurredAt = new DateTimeOffset(2026, 5, 1, 8, 15, 30, 123, TimeSpan.Zero);
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.Add(NewEvent(occurredAt));
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreateContext();
        var stored = await read.AuditEvents.Where(e => e.OccurredAt == occurredAt).Select(e => e.OccurredAt).SingleAsync(Ct);

        Assert.Equal(occurredAt, stored);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
    }

    [Fact]
    public async Task OccurredAt_UtcValue_IsStoredInEfCoreBinaryLayout()
    {
        // Files written before the UTC normalization hold EF Core's DateTimeOffsetToBinaryConverter layout; UTC values must encode the same.
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var occurredAt = new DateTimeOffset(2026, 5, 1, 8, 15, 30, 123, TimeSpan.Zero);
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.Add(NewEvent(occurredAt));
            await db.SaveChangesAsync(Ct);
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT OccurredAt, typeof(OccurredAt) FROM AuditEvents";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));

        Assert.Equal("integer", reader.GetString(1));
        Assert.Equal((long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(occurredAt)!, reader.GetInt64(0));
    }

    [Fact]
    public async Task OccurredAt_RowWrittenWithAnOffsetByEfCoresConverter_ReadsBackAsTheSameInstantInUtc()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var occurredAt = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO AuditEvents (OccurredAt, EnterpriseId, ActorType, ActorName, Action, TargetType, Outcome)
                VALUES ($at, $enterprise, 'person', 'ada@contoso.test', 'organization.update', 'organization', 'Succeeded')
                """;
            insert.Parameters.AddWithValue("$at", (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(occurredAt)!);
            insert.Parameters.AddWithValue("$enterprise", EnterpriseId.ToString().ToUpperInvariant());
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var db = database.CreateContext();
        var stored = await db.AuditEvents.Select(e => e.OccurredAt).SingleAsync(Ct);

        Assert.Equal(occurredAt, stored);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
    }

    [Fact]
    public async Task LastSignInAt_NullableValue_RoundTripsAndFilters()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var signedIn = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        await using (var db = database.CreateContext())
        {
            db.People.AddRange(
                new Person { Email = "never@contoso.test", DisplayName = "Never", CreatedAt = Start },
                new Person { Email = "early@contoso.test", DisplayName = "Early", CreatedAt = Start, LastSignInAt = signedIn },
                new Person { Email = "late@contoso.test", DisplayName = "Late", CreatedAt = Start, LastSignInAt = signedIn.AddDays(1) });
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreateContext();
        var since = signedIn.AddHours(1);
        Assert.Equal(["late@contoso.test"], await read.People.Where(p => p.LastSignInAt >= since).Select(p => p.Email).ToListAsync(Ct));
        Assert.Equal(signedIn, (await read.People.SingleAsync(p => p.Email == "early@contoso.test", Ct)).LastSignInAt);
        Assert.Null((await read.People.SingleAsync(p => p.Email == "never@contoso.test", Ct)).LastSignInAt);
    }

    [Fact]
    public async Task SearchAuditLog_DayRange_IncludesBothWholeUtcDaysAndNothingOutside()
    {
        await using var database = await SqliteTestDatabase.CreateMigratedAsync();
        var time = new FakeTimeProvider(Start);
        await using (var seed = database.CreateContext())
        {
            await DemoData.SeedAsync(seed, time, Ct);
        }

        await using (var db = database.CreateContext())
        {
            var contoso = await db.Enterprises.SingleAsync(e => e.Slug == DemoData.EnterpriseSlug, Ct);
            var actor = new Actor(Guid.Empty, "ada@contoso.test", "127.0.0.1");

            // Recorded out of time order (one fake clock per event), so the newest ID is not the newest time.
            (DateTimeOffset At, string Name)[] events =
            [
                (new DateTimeOffset(2026, 5, 4, 0, 0, 0, TimeSpan.Zero), "day after"),
                (new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero), "first instant of From"),
                (new DateTimeOffset(2026, 5, 3, 23, 59, 59, 999, TimeSpan.Zero), "last millisecond of To"),
                (new DateTimeOffset(2026, 5, 1, 23, 59, 59, 999, TimeSpan.Zero), "day before"),
                (new DateTimeOffset(2026, 5, 3, 12, 0, 0, TimeSpan.Zero), "middle of To"),
            ];
            foreach (var (at, name) in events)
            {
                new AuditTrail(new FakeTimeProvider(at)).Record(db, actor, "organization.update", new AuditTarget("organization", null, name, contoso.Id));
                await db.SaveChangesAsync(Ct);
            }
        }

        var query = new SearchAuditLogQuery(new Factory(database), new AuditLogFilterValidator());
        var ada = await AdaAsync(database);

        var result = await query.ExecuteAsync(ada, DemoData.EnterpriseSlug, new AuditLogFilter(From: "2026-05-02", To: "2026-05-03"), 0, 50, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(3, result.Value.TotalCount);
        Assert.Equal(
            ["first instant of From", "last millisecond of To", "middle of To"],
            result.Value.Items.Select(i => i.TargetName).Order(StringComparer.Ordinal));
    }

    private static async Task<Actor> AdaAsync(SqliteTestDatabase database)
    {
        await using var db = database.CreateContext();
        var ada = await db.People.SingleAsync(p => p.Email == "ada@contoso.test", Ct);
        return new Actor(ada.Id, ada.Email, null);
    }

    /// <summary>Records events seconds, hours and days apart through <see cref="AuditTrail"/> (as features do), out of time order.</summary>
    private static async Task<List<DateTimeOffset>> RecordShuffledAsync(SqliteTestDatabase database, DateTimeOffset start)
    {
        TimeSpan[] offsets =
        [
            TimeSpan.FromDays(3), TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromMinutes(59), TimeSpan.FromDays(2),
            TimeSpan.FromDays(2) - TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(25), TimeSpan.FromSeconds(1), TimeSpan.FromDays(40),
        ];
        var actor = new Actor(Guid.NewGuid(), "ada@contoso.test", null);
        var times = new List<DateTimeOffset>();
        await using var db = database.CreateContext();
        foreach (var offset in offsets)
        {
            // A fake clock per event: FakeTimeProvider never goes back in time.
            var trail = new AuditTrail(new FakeTimeProvider(start + offset));
            times.Add(trail.Record(db, actor, "organization.update", new AuditTarget("organization", null, null, EnterpriseId)).OccurredAt);
            await db.SaveChangesAsync(Ct); // one row at a time, so IDs follow the shuffled order
        }

        return times;
    }

    private static AuditEvent NewEvent(DateTimeOffset occurredAt) => new()
    {
        OccurredAt = occurredAt,
        EnterpriseId = EnterpriseId,
        ActorName = "ada@contoso.test",
        Action = "organization.update",
        TargetType = "organization",
    };

    private sealed class Factory(SqliteTestDatabase database) : IPortalDbContextFactory
    {
        public Task<IPortalDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IPortalDbContext>(database.CreateContext());
    }
}
