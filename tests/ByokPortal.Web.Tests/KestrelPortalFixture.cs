using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Web.Tests;

/// <summary>One portal on a real Kestrel port (real HTTP: headers, cookies and redirects as a browser gets them), shared by a test class.</summary>
public sealed class KestrelPortalFixture : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new();

    public Uri Address { get; private set; } = default!;

    public ValueTask InitializeAsync()
    {
        Address = Factory.StartOnFreePort();
        return ValueTask.CompletedTask;
    }

    public KestrelClient NewClient() => new(Address);

    public async Task<T> QueryAsync<T>(Func<IPortalDbContext, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await Factory.Services.GetRequiredService<IPortalDbContextFactory>().CreateAsync(TestContext.Current.CancellationToken);
        return await query(db);
    }

    public Task<Actor> ActorAsync(string email) =>
        QueryAsync(async db => new Actor(await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken), email, "127.0.0.1"));

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
