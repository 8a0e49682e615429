using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Enterprises;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Core.Tests;

/// <summary>
/// The real portal (real SQLite file, real local secret store, demo data) on a fresh data directory, shared by the tests of one class,
/// plus one provider stand-in on loopback. Provider calls wait up to 30 s (a busy CI machine must not turn a slow answer into a failed
/// test); <see cref="ShortProviderTimeoutFixture"/> is for the tests about timeouts. Tests of one class run one after the other, so
/// "nothing was stored" can be checked by counting rows before and after.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    private readonly List<AsyncServiceScope> _scopes = [];

    public PortalFixture()
        : this("00:00:30")
    {
    }

    protected PortalFixture(string providerTimeout)
    {
        Factory = new PortalAppFactory().WithSetting("Portal:Providers:Timeout", providerTimeout);
    }

    public PortalAppFactory Factory { get; }

    public ProviderStandIn StandIn { get; private set; } = default!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The folder of the local secret store: one sub-folder per stored secret.</summary>
    public string SecretsDirectory => Path.Combine(Factory.DataDirectory, "secrets");

    public async ValueTask InitializeAsync()
    {
        StandIn = await ProviderStandIn.StartAsync();
        Configure(Factory);
        _ = Factory.Services; // starts the portal: migrations and demo data
    }

    /// <summary>A use case (or any service) from a fresh scope of the running portal.</summary>
    public T Get<T>()
        where T : notnull
    {
        var scope = Factory.Services.CreateAsyncScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    public Task<IPortalDbContext> DbAsync() => Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(Ct);

    public async Task<Actor> ActorAsync(string email)
    {
        await using var db = await DbAsync();
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Email == email, Ct);
        return new Actor(person.Id, person.Email, "203.0.113.7");
    }

    public async Task<Guid> OrganizationIdAsync(string slug)
    {
        await using var db = await DbAsync();
        return await db.Organizations.Where(o => o.Slug == slug).Select(o => o.Id).SingleAsync(Ct);
    }

    /// <summary>A second enterprise owner of Contoso (the demo data has one), for "two owners" scenarios.</summary>
    public async Task<Actor> SecondEnterpriseOwnerAsync()
    {
        const string email = "grace@contoso.test";
        await using (var db = await DbAsync())
        {
            if (!await db.People.AnyAsync(p => p.Email == email, Ct))
            {
                var enterprise = await db.Enterprises.SingleAsync(e => e.Slug == "contoso", Ct);
                var person = new Person { Email = email, DisplayName = "Grace Hopper", CreatedAt = DateTimeOffset.UtcNow };
                db.People.Add(person);
                db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = enterprise.Id, PersonId = person.Id, Role = EnterpriseRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(Ct);
            }
        }

        return await ActorAsync(email);
    }

    /// <summary>Another enterprise with one organization (nothing to do with Contoso), created once.</summary>
    public async Task<Guid> OtherEnterpriseOrganizationIdAsync()
    {
        await using var db = await DbAsync();
        var existing = await db.Organizations.Where(o => o.Slug == "fabrikam-web").Select(o => (Guid?)o.Id).SingleOrDefaultAsync(Ct);
        if (existing is { } id)
        {
            return id;
        }

        var enterprise = new Enterprise { Slug = "fabrikam", Name = "Fabrikam", CreatedAt = DateTimeOffset.UtcNow };
        var organization = new Organization { EnterpriseId = enterprise.Id, Slug = "fabrikam-web", Name = "Fabrikam Web", CreatedAt = DateTimeOffset.UtcNow };
        db.Enterprises.Add(enterprise);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(Ct);
        return organization.Id;
    }

    public IReadOnlySet<string> SecretFolders() =>
        Directory.Exists(SecretsDirectory)
            ? Directory.GetDirectories(SecretsDirectory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    protected virtual void Configure(PortalAppFactory factory)
    {
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }

        await Factory.DisposeAsync();
        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The same portal with its clock replaced by a <see cref="FakeTimeProvider"/> (it stands still unless a test advances it).</summary>
public sealed class FrozenClockPortalFixture : PortalFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    protected override void Configure(PortalAppFactory factory) =>
        factory.WithServices(services => services.AddSingleton<TimeProvider>(Clock));
}

/// <summary>Provider calls time out after one second: only for tests that call the stand-in's endpoint that never answers.</summary>
public sealed class ShortProviderTimeoutFixture : PortalFixture
{
    public ShortProviderTimeoutFixture()
        : base("00:00:01")
    {
    }
}

/// <summary>SQLite waits one second for a lock (<c>Portal:Database:BusyTimeout</c>), so tests of a locked database fail fast.</summary>
public sealed class ShortBusyTimeoutFixture : PortalFixture
{
    protected override void Configure(PortalAppFactory factory) => factory.WithSetting("Portal:Database:BusyTimeout", "00:00:01");
}

/// <summary>
/// The portal on a <see cref="FakeTimeProvider"/> for the orphan sweeper: unreferenced secrets age only when a test advances the clock.
/// The sweeper's own interval is set by the subclass, so a test either sweeps itself or waits for the background sweep.
/// </summary>
public abstract class SweeperPortalFixture(string interval) : PortalFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

    public static TimeSpan GracePeriod => TimeSpan.FromHours(1);

    protected override void Configure(PortalAppFactory factory) =>
        factory.WithSetting("Portal:Secrets:Sweep:Interval", interval)
            .WithSetting("Portal:Secrets:Sweep:GracePeriod", GracePeriod.ToString())
            .WithServices(services => services.AddSingleton<TimeProvider>(Clock));
}

/// <summary>The background sweep waits 30 days: the tests run the sweep themselves.</summary>
public sealed class ManualSweepPortalFixture() : SweeperPortalFixture("30.00:00:00");

/// <summary>The background sweep runs every hour of the fake clock.</summary>
public sealed class HourlySweepPortalFixture() : SweeperPortalFixture("01:00:00");
