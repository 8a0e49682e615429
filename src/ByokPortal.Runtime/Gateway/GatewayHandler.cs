using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Gateway;

/// <summary>The gateway's connection handler.</summary>
internal static class GatewayHandler
{
    public static Func<SocketsHttpHandler> Create(IServiceProvider services) => () => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };
}
