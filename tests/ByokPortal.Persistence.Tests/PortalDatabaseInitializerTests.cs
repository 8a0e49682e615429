using ByokPortal.Core;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Persistence.Seeding;
using ByokPortal.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Persistence.Tests;

/// <summary>The start-up initializer, wired as the app wires it (AddPortalCore + AddPortalPersistence) over a temp data directory.</summary>
public sealed class PortalDatabaseInitializerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly TempDirectory _dataDirectory = new("byokportal-init");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly LogCapture _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dataDirectory.Dispose();
    }

    [Fact]
    public async Task InitializeAsync_DemoSeed_CreatesContosoItsOrganizationsAndPeopleWithTheirRoles()
    {
        using var host = BuildHost();

        await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, Ct);

        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        var enterprise = Assert.Single(await db.Enterprises.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(("contoso", "Contoso"), (enterprise.Slug, enterprise.Name));
        Assert.Equal(Start, enterprise.CreatedAt);

        var organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Slug).ToListAsync(Ct);
        Assert.Equal(
            [("contoso-data", "Contoso Data"), ("contoso-research", "Contoso Research"), ("contoso-web", "Contoso Web")],
            organizations.Select(o => (o.Slug, o.Name)));
        Assert.All(organizations, o => Assert.Equal(enterprise.Id, o.EnterpriseId));

        var people = await db.People.AsNoTracking().OrderBy(p => p.Email).ToListAsync(Ct);
        Assert.Equal(["ada@contoso.test", "mia@contoso.test", "olga@contoso.test", "oscar@contoso.test"], people.Select(p => p.Email));

        var enterpriseRoles = await (
            from m in db.EnterpriseMemberships
            join p in db.People on m.PersonId equals p.Id
            where m.EnterpriseId == enterprise.Id
            select new { p.Email, m.Role }).ToDictionaryAsync(x => x.Email, x => x.Role, Ct);
        Assert.Equal(
            new Dictionary<string, EnterpriseRole>
            {
                ["ada@contoso.test"] = EnterpriseRole.Owner,
                ["oscar@contoso.test"] = EnterpriseRole.Member,
                ["olga@contoso.test"] = EnterpriseRole.Member,
                ["mia@contoso.test"] = EnterpriseRole.Member,
            },
            enterpriseRoles);

        var organizationRoles = await (
            from m in db.OrganizationMemberships
            join p in db.People on m.PersonId equals p.Id
            join o in db.Organizations on m.OrganizationId equals o.Id
            orderby p.Email
            select new { p.Email, o.Slug, m.Role }).ToListAsync(Ct);
        Assert.Equal(
            [
                ("mia@contoso.test", "contoso-web", OrganizationRole.Member),
                ("olga@contoso.test", "contoso-data", OrganizationRole.Owner),
                ("oscar@contoso.test", "contoso-web", OrganizationRole.Owner),
            ],
            organizationRoles.Select(r => (r.Email, r.Slug, r.Role)));
    }

    [Fact]
    public async Task InitializeAsync_DemoSeedTwice_SeedsOnce()
    {
        using var host = BuildHost();
        var initializer = host.Services.GetRequiredService<PortalDatabaseInitializer>();

        await initializer.InitializeAsync(seedDemoData: true, Ct);
        var first = await SnapshotAsync(host);
        _time.Advance(TimeSpan.FromHours(1));
        await initializer.InitializeAsync(seedDemoData: true, Ct);

        Assert.Equal(first, await SnapshotAsync(host));
        Assert.Equal((1, 3, 4, 4, 3), (first.Enterprises.Count, first.Organizations.Count, first.People.Count, first.EnterpriseMemberships, first.OrganizationMemberships));
        Assert.Single(_logs.Lines, l => l.Contains("Demo data seeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_DemoSeed_CreatesTheSqliteFileInTheDataDirectoryInWalMode()
    {
        using var host = BuildHost();

        await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, Ct);

        var file = Path.Combine(_dataDirectory.Path, "portal.db");
        Assert.True(File.Exists(file));
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        Assert.IsType<SqlitePortalDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task InitializeAsync_WithoutDemoSeed_CreatesTheConfiguredEnterpriseOnce()
    {
        using (var host = BuildHost(("Portal:Enterprise:Slug", "fabrikam"), ("Portal:Enterprise:Name", "Fabrikam, Inc.")))
        {
            var initializer = host.Services.GetRequiredService<PortalDatabaseInitializer>();
            await initializer.InitializeAsync(seedDemoData: false, Ct);
            _time.Advance(TimeSpan.FromMinutes(5));
            await initializer.InitializeAsync(seedDemoData: false, Ct);
        }

        // A later start with other settings does not create a second enterprise either.
        using var restarted = BuildHost(("Portal:Enterprise:Slug", "northwind"), ("Portal:Enterprise:Name", "Northwind"));
        await restarted.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: false, Ct);

        await using var db = await restarted.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        var enterprise = Assert.Single(await db.Enterprises.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(("fabrikam", "Fabrikam, Inc.", Start), (enterprise.Slug, enterprise.Name, enterprise.CreatedAt));
        Assert.Empty(await db.Organizations.ToListAsync(Ct));
        Assert.Empty(await db.People.ToListAsync(Ct));
        Assert.Single(_logs.Lines, l => l.Contains("Enterprise 'fabrikam' created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_WithoutDemoSeedOrSettings_CreatesTheDefaultEnterprise()
    {
        using var host = BuildHost();

        await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: false, Ct);

        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        var enterprise = Assert.Single(await db.Enterprises.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(("enterprise", "Enterprise"), (enterprise.Slug, enterprise.Name));
    }

    [Theory]
    [InlineData("Fabrikam")]
    [InlineData("fabrikam inc")]
    [InlineData("-fabrikam")]
    [InlineData("fabrikam--inc")]
    public async Task InitializeAsync_InvalidBootstrapSlug_RefusesWithAClearMessageAndCreatesNothing(string slug)
    {
        using var host = BuildHost(("Portal:Enterprise:Slug", slug), ("Portal:Enterprise:Name", "Fabrikam"));
        var initializer = host.Services.GetRequiredService<PortalDatabaseInitializer>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => initializer.InitializeAsync(seedDemoData: false, Ct));

        Assert.Equal(
            $"Portal:Enterprise:Slug '{slug}' is not a valid URL name (lower-case letters, digits and single hyphens).",
            error.Message);
        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        Assert.Empty(await db.Enterprises.ToListAsync(Ct));
    }

    [Fact]
    public async Task InitializeAsync_InvalidBootstrapSlugWithDemoSeed_IsNotChecked()
    {
        // Demo mode creates Contoso and never reads the bootstrap settings.
        using var host = BuildHost(("Portal:Enterprise:Slug", "Not A Slug"));

        await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, Ct);

        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        Assert.Equal(["contoso"], await db.Enterprises.Select(e => e.Slug).ToListAsync(Ct));
    }

    [Fact]
    public async Task InitializeAsync_AfterRestartOnTheSameDataDirectory_DataIsStillThereAndNotSeededAgain()
    {
        Snapshot before;
        using (var host = BuildHost())
        {
            await host.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, Ct);
            await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
            var web = await db.Organizations.SingleAsync(o => o.Slug == "contoso-web", Ct);
            web.ModelsPermission = ModelsPermission.OnlySelectModels;
            await db.SaveChangesAsync(Ct);
            before = await SnapshotAsync(host);
        }

        _time.Advance(TimeSpan.FromDays(1));
        using var restarted = BuildHost();
        await restarted.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(seedDemoData: true, Ct);

        Assert.Equal(before, await SnapshotAsync(restarted));
        await using var check = await restarted.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        Assert.Equal(ModelsPermission.OnlySelectModels, (await check.Organizations.SingleAsync(o => o.Slug == "contoso-web", Ct)).ModelsPermission);
        Assert.Contains(_logs.Lines, l => l.Contains("0 migration(s) applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_DemoSeedAfterBootstrapEnterprise_AddsContosoBesideIt()
    {
        using var host = BuildHost(("Portal:Enterprise:Slug", "fabrikam"));
        var initializer = host.Services.GetRequiredService<PortalDatabaseInitializer>();

        await initializer.InitializeAsync(seedDemoData: false, Ct);
        await initializer.InitializeAsync(seedDemoData: true, Ct);

        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        Assert.Equal(["contoso", "fabrikam"], await db.Enterprises.OrderBy(e => e.Slug).Select(e => e.Slug).ToListAsync(Ct));
        Assert.Equal(DemoData.People.Count, await db.People.CountAsync(Ct));
    }

    private IHost BuildHost(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing",
            ContentRootPath = _dataDirectory.Path,
        });
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create(s.Key, s.Value))
                .Prepend(KeyValuePair.Create("Portal:DataDirectory", (string?)_dataDirectory.Path)));
        builder.Logging.AddProvider(_logs);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.AddPortalCore();
        builder.AddPortalPersistence();
        return builder.Build();
    }

    private static async Task<Snapshot> SnapshotAsync(IHost host)
    {
        await using var db = await host.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);
        return new Snapshot(
            (await db.Enterprises.AsNoTracking().OrderBy(e => e.Slug).ToListAsync(Ct)).Select(e => (e.Id, e.Slug, e.Version, e.CreatedAt)).ToList(),
            (await db.Organizations.AsNoTracking().OrderBy(o => o.Slug).ToListAsync(Ct)).Select(o => (o.Id, o.Slug, o.Version)).ToList(),
            (await db.People.AsNoTracking().OrderBy(p => p.Email).ToListAsync(Ct)).Select(p => (p.Id, p.Email)).ToList(),
            await db.EnterpriseMemberships.CountAsync(Ct),
            await db.OrganizationMemberships.CountAsync(Ct));
    }

    private sealed record Snapshot(
        List<(Guid Id, string Slug, Guid Version, DateTimeOffset CreatedAt)> Enterprises,
        List<(Guid Id, string Slug, Guid Version)> Organizations,
        List<(Guid Id, string Email)> People,
        int EnterpriseMemberships,
        int OrganizationMemberships)
    {
        public bool Equals(Snapshot? other) =>
            other is not null
            && Enterprises.SequenceEqual(other.Enterprises)
            && Organizations.SequenceEqual(other.Organizations)
            && People.SequenceEqual(other.People)
            && EnterpriseMemberships == other.EnterpriseMemberships
            && OrganizationMemberships == other.OrganizationMemberships;

        public override int GetHashCode() => HashCode.Combine(Enterprises.Count, Organizations.Count, People.Count, EnterpriseMemberships, OrganizationMemberships);
    }
}
