using System.Net.Http.Headers;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Runtime.Snapshots;
using ByokPortal.Runtime.Usage;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Tests;

/// <summary>
/// The real portal (Program.cs, real SQLite file, real local secret store, demo data) on a real Kestrel port, with its runtime, and a
/// provider stand-in on loopback that accepts exactly one key in each provider's own header. Shared by the tests of one class, which
/// run one after the other; tests use model IDs of their own so they do not see each other's models.
/// </summary>
public class RuntimeFixture : IAsyncLifetime
{
    private readonly List<AsyncServiceScope> _scopes = [];

    public RuntimeFixture()
    {
        Factory = new PortalAppFactory()
            .WithSetting("Portal:Providers:Timeout", "00:00:30")
            .WithSetting("Portal:Outbound:AllowLoopback", "true");
    }

    public PortalAppFactory Factory { get; }

    public ProviderStandIn StandIn { get; private set; } = default!;

    /// <summary>The portal's address on its real Kestrel port.</summary>
    public Uri Address { get; private set; } = default!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        StandIn = await ProviderStandIn.StartAsync();
        Configure(Factory);
        Address = Factory.StartOnFreePort();
    }

    protected virtual void Configure(PortalAppFactory factory)
    {
    }

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

    /// <summary>Brings the runtime's snapshot up to date with the database now (instead of waiting for the refresher to notice).</summary>
    public Task RefreshAsync() => Factory.Services.GetRequiredService<SnapshotRefresher>().RefreshAsync([], Ct);

    /// <summary>Writes the usage queued so far.</summary>
    public Task FlushUsageAsync() => Factory.Services.GetRequiredService<UsageWriter>().FlushAsync(Ct);

    /// <summary>An HTTP client for the runtime with an organization API key in <c>Authorization: Bearer</c>.</summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A browser-like client signed in as a person through the real demo sign-in form (cookies kept, redirects not followed).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = Address,
        };
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative), Ct);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = DemoSignIn.AntiforgeryToken(page),
        });
        using var response = await client.PostAsync(new Uri("/signin/demo", UriKind.Relative), form, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
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

/// <summary>The same portal with a clock tests move (<see cref="FakeTimeProvider"/>), starting now.</summary>
public sealed class MovableClockRuntimeFixture : RuntimeFixture
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(PortalAppFactory factory) =>
        factory.WithServices(services => services.AddSingleton<TimeProvider>(Clock));
}
