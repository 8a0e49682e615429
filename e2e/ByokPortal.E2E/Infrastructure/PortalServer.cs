using ByokPortal.Testing;

namespace ByokPortal.E2E.Infrastructure;

/// <summary>The real portal on a free loopback port (real Kestrel, real SQLite file, fresh data directory), one per test class.</summary>
public class PortalServer : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new();

    public Uri Address { get; private set; } = default!;

    public virtual ValueTask InitializeAsync()
    {
        Address = Factory.StartOnFreePort();
        return ValueTask.CompletedTask;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
