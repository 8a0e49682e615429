namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// The one HTTP client of the gateway's upstream calls, on the outbound guard's handler (no internal addresses, no redirects, no cookies,
/// no proxy, bodies passed through as they are): pooled connections, several HTTP/2 connections per provider when busy, and no tracing
/// headers added to what the provider receives. Without a propagator SocketsHttpHandler leaves out its diagnostics handler altogether
/// (no outgoing-request Activity per call, about 2 % of the gateway's CPU under load); the incoming request's Activity is kept.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    public GatewayClient(Func<SocketsHttpHandler> handlerFactory)
    {
        ArgumentNullException.ThrowIfNull(handlerFactory);
        var handler = handlerFactory();
        handler.EnableMultipleHttp2Connections = true;
        handler.ActivityHeadersPropagator = null;
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>On the given handler (tests: one that fails as no real handler can).</summary>
    internal GatewayClient(HttpMessageHandler handler) => Invoker = new HttpMessageInvoker(handler, disposeHandler: true);

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
