using System.Collections.Concurrent;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers;
using ByokPortal.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// <see cref="HttpProviderModelClient"/> as the portal composes it (<see cref="DependencyInjection.AddPortalProviders"/> on a
/// <see cref="HostApplicationBuilder"/>, every log line captured at Trace level, a one-second timeout), the provider stand-in, and a
/// small "odd provider" on its own Kestrel port: redirects, error bodies that echo the key, answers that are not a model list.
/// </summary>
public class ProviderClientFixture : IAsyncLifetime
{
    private WebApplication? _oddProvider;
    private IHost? _host;

    public ProviderStandIn StandIn { get; private set; } = default!;

    public LogCapture Logs { get; } = new();

    public IProviderModelClient Client { get; private set; } = default!;

    /// <summary>Requests the odd provider saw, as "METHOD path?query".</summary>
    public ConcurrentQueue<string> OddRequests { get; } = new();

    /// <summary>Headers of the requests that reached a redirect's target.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> LandedHeaders { get; } = new();

    public string OddRoot { get; private set; } = "";

    /// <summary>Generous, so a busy machine never turns a slow answer into a failure; the timeout tests use <see cref="ShortTimeoutProviderClientFixture"/>.</summary>
    protected virtual string ProviderTimeout => "00:00:30";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        StandIn = await ProviderStandIn.StartAsync();
        _oddProvider = await StartOddProviderAsync();
        OddRoot = _oddProvider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Providers:Timeout"] = ProviderTimeout,
            ["Portal:Outbound:AllowLoopback"] = "true", // the stand-ins listen on loopback; OutboundGuardTests prove the refusal
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(Logs);
        builder.AddPortalProviders();
        _host = builder.Build();
        Client = _host.Services.GetRequiredService<IProviderModelClient>();
    }

    private async Task<WebApplication> StartOddProviderAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            OddRequests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });

        // A redirect to another path of the same host, and one to another host (the stand-in, which would accept the key).
        app.MapGet("/redirect/v1/models", () => Results.Redirect("/landing/v1/models"));
        app.MapGet("/redirect-away/v1/models", () => Results.Redirect(StandIn.OpenAIBaseUrl + "/models"));
        app.MapGet("/landing/v1/models", (HttpRequest request) =>
        {
            LandedHeaders.Enqueue(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            return Results.Json(new { data = new[] { new { id = "landed" } } });
        });

        // Careless providers: error bodies and headers that echo whatever key was presented.
        app.MapGet("/echo-500/v1/models", (HttpRequest request) => Echo(request, StatusCodes.Status500InternalServerError));
        app.MapGet("/echo-403/v1/models", (HttpRequest request) => Echo(request, StatusCodes.Status403Forbidden));
        app.MapGet("/echo-429/v1/models", (HttpRequest request) => Echo(request, StatusCodes.Status429TooManyRequests));
        app.MapGet("/echo-html/v1/models", (HttpRequest request) =>
            Results.Content($"<html><body>Welcome {request.Headers.Authorization}</body></html>", "text/html"));
        app.MapGet("/no-list/v1/models", (HttpRequest request) => Results.Json(new { error = new { message = $"bad key {request.Headers.Authorization}" } }));
        app.MapGet("/duplicates/v1/models", () => Results.Json(new { data = new[] { new { id = "b-model" }, new { id = "a-model" }, new { id = "b-model" }, new { id = "" } } }));

        // Answers the portal must bound: too many bytes (announced, or streamed without a length), too many models, encodings.
        app.MapGet("/big/v1/models", () => Results.Bytes(Answers.ModelList(Answers.OverMaxResponseModels), "application/json"));
        app.MapGet("/big-chunked/v1/models", async (HttpResponse response) =>
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(Answers.ModelList(Answers.OverMaxResponseModels));
        });
        app.MapGet("/many/{count:int}/v1/models", (int count) => Results.Bytes(Answers.ModelList(count), "application/json"));
        app.MapGet("/encoded/{encoding}/v1/models", (string encoding, HttpResponse response) =>
        {
            response.Headers.ContentEncoding = encoding;
            var list = Answers.ModelList(3);
            return Results.Bytes(encoding is "gzip" or "br" or "deflate" ? Answers.Encode(list, encoding) : list, "application/json");
        });
        app.MapGet("/bomb/{encoding}/v1/models", (string encoding, HttpResponse response) =>
        {
            response.Headers.ContentEncoding = encoding;
            return Results.Bytes(Answers.Bomb(encoding), "application/json");
        });
        await app.StartAsync();
        return app;
    }

    private static IResult Echo(HttpRequest request, int status)
    {
        request.HttpContext.Response.Headers["X-Echo"] = request.Headers.Authorization.ToString();
        return Results.Json(new { error = new { message = $"Incorrect API key provided: {request.Headers.Authorization}" } }, statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        if (_oddProvider is not null)
        {
            await _oddProvider.DisposeAsync();
        }

        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }
    }
}

/// <summary>The same client, giving up after one second: only for calls to the stand-in's endpoint that never answers.</summary>
public sealed class ShortTimeoutProviderClientFixture : ProviderClientFixture
{
    protected override string ProviderTimeout => "00:00:01";
}
