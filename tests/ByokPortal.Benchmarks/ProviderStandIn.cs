using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Benchmarks;

/// <summary>
/// The stand-in LLM provider of the gateway benchmarks: Kestrel on a fixed loopback port (the scale fixture's keys point at it, and that
/// fixture outlives one process), answering <c>POST /v1/chat/completions</c> with a fixed small chat.completion and its usage.
/// </summary>
public sealed class ProviderStandIn : IAsyncDisposable
{
    public const int Port = 18099;

    public const string BaseUrl = "http://127.0.0.1:18099/v1";

    public const string Reply = """{"id":"chatcmpl-bench","object":"chat.completion","created":1764000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the stand-in provider."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":8,"total_tokens":17}}""";

    private readonly WebApplication _app;

    private ProviderStandIn(WebApplication app) => _app = app;

    public static async Task<ProviderStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        var reply = System.Text.Encoding.UTF8.GetBytes(Reply);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            // Reads the request as a provider would, then answers.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = reply.Length;
            await context.Response.Body.WriteAsync(reply, context.RequestAborted);
        });
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"Port {Port} (the benchmarks' stand-in provider) is in use: stop what listens there.", e);
        }

        return new ProviderStandIn(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
