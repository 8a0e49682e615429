using ByokPortal.Testing;

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
