using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The gateway's connection handler: the same outbound guard as "Fetch new models" and "Test credentials" (no internal addresses unless
/// allowed in Portal:Outbound:AllowedHosts, checked on the resolved address at connect time; no redirects; no proxy).
/// </summary>
internal static class GatewayHandler
{
    public static Func<SocketsHttpHandler> Create(IServiceProvider services)
    {
        var guard = services.GetRequiredService<OutboundGuard>();
        return () =>
        {
            var handler = guard.CreateHandler();
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
            return handler;
        };
    }
}
