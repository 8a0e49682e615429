using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests;

/// <summary>One portal with its demo data, shared by the tests of a class; clients signed in as each demo person.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public PortalAppFactory Factory { get; } = new();

    public HttpClient Anonymous { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Anonymous = Factory.CreateAnonymousClient();
        foreach (var email in new[] { DemoSignIn.EnterpriseOwner, DemoSignIn.WebOwner, DemoSignIn.DataOwner, DemoSignIn.WebMember })
        {
            _clients[email] = await Factory.CreateSignedInClientAsync(email);
        }
    }

    public HttpClient As(string email) => _clients[email];

    public Task<IPortalDbContext> DbAsync() =>
        Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);

    /// <summary>A demo person as the use cases know them.</summary>
    public async Task<Actor> ActorAsync(string email)
    {
        await using var db = await DbAsync();
        var id = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
        return new Actor(id, email, "127.0.0.1");
    }

    /// <summary>Runs a use case (or any scoped service) of the running portal.</summary>
    public async Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> use)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(use);
        await using var scope = Factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<T>());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Anonymous?.Dispose();
        await Factory.DisposeAsync();
    }
}
