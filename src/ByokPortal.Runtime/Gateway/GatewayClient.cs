using System.Diagnostics;
using System.Net;

namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The one HTTP client of the gateway's upstream calls: pooled connections, no redirects (a provider key must never follow one), no
/// cookies, bodies passed through as they are (no decompression), and no tracing headers added to what the provider receives.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    public GatewayClient(Func<SocketsHttpHandler> handlerFactory)
    {
        ArgumentNullException.ThrowIfNull(handlerFactory);
        var handler = handlerFactory();
        handler.AllowAutoRedirect = false;
        handler.UseCookies = false;
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.UseProxy = false;
        handler.EnableMultipleHttp2Connections = true;
        handler.ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator();
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
