using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Testing;

/// <summary>
/// A local stand-in for LLM providers, served by real Kestrel on loopback so the portal makes real HTTP calls. It accepts exactly one key
/// (<see cref="AcceptedKey"/>) in each provider's own header and answers others with 401. Base URLs per provider shape:
/// <see cref="OpenAIBaseUrl"/> (<c>GET /v1/models</c>, Bearer), <see cref="AnthropicBaseUrl"/> (<c>GET /v1/models</c>, x-api-key),
/// <see cref="GoogleBaseUrl"/> (<c>GET /v1beta/models</c>, x-goog-api-key), <see cref="AzureBaseUrl"/> (<c>GET /openai/deployments</c>, api-key),
/// <see cref="FoundryDeploymentUrl"/> (<c>GET /models</c>, api-key), and <see cref="SlowBaseUrl"/>, which never answers in time.
/// </summary>
public sealed partial class ProviderStandIn : IAsyncDisposable
{
    public const string DefaultAcceptedKey = "sk-test-standin-accepted-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ProviderStandIn(WebApplication app, string acceptedKey, IReadOnlyList<string> models)
    {
        _app = app;
        AcceptedKey = acceptedKey;
        Models = models;
    }

    public string AcceptedKey { get; }

    public IReadOnlyList<string> Models { get; set; }

    public Uri Address { get; private set; } = default!;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public string OpenAIBaseUrl => $"{Root}/v1";

    public string AnthropicBaseUrl => $"{Root}/anthropic";

    public string GoogleBaseUrl => $"{Root}/google";

    public string AzureBaseUrl => $"{Root}/azure";

    public string FoundryDeploymentUrl => $"{Root}/foundry/deployments/main";

    public string SlowBaseUrl => $"{Root}/slow/v1";

    public string NotFoundBaseUrl => $"{Root}/nothing-here/v1";

    private string Root => Address.ToString().TrimEnd('/');

    public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body = "");

    /// <param name="listenUrl">Where to listen: a free port on 127.0.0.1 unless a test needs another loopback address or a given port.</param>
    public static async Task<ProviderStandIn> StartAsync(string acceptedKey = DefaultAcceptedKey, IReadOnlyList<string>? models = null, string listenUrl = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls(listenUrl);
        var app = builder.Build();
        var standIn = new ProviderStandIn(app, acceptedKey, models ?? ["gpt-4o", "gpt-4o-mini", "o3-mini"]);
        standIn.Map(app);
        await app.StartAsync();
        standIn.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var body = "";
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.EnableBuffering();
                body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                context.Request.Body.Position = 0;
            }

            _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            await next(context);
        });

        MapGateway(app);
        MapCloud(app);

        app.MapGet("/v1/models", (HttpRequest request) =>
            Authorized(request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal),
                () => Results.Json(new { @object = "list", data = Models.Select(m => new { id = m, @object = "model", owned_by = "stand-in" }) })));

        app.MapGet("/anthropic/v1/models", (HttpRequest request) =>
            request.Headers["anthropic-version"].ToString().Length == 0 ? Results.BadRequest() : Authorized(request.Headers["x-api-key"].ToString(),
                () => Results.Json(new { data = Models.Select(m => new { id = m, type = "model", display_name = m }), has_more = false })));

        app.MapGet("/google/v1beta/models", (HttpRequest request) =>
            request.Query.ContainsKey("key") ? Results.BadRequest() : Authorized(request.Headers["x-goog-api-key"].ToString(),
                () => Results.Json(new { models = Models.Select(m => new { name = "models/" + m, displayName = m }) })));

        app.MapGet("/azure/openai/deployments", (HttpRequest request) =>
            !request.Query.ContainsKey("api-version")
                ? Results.BadRequest()
                : Authorized(request.Headers["api-key"].ToString(),
                    () => Results.Json(new { data = Models.Select(m => new { id = m, model = m, @object = "deployment" }) })));

        app.MapGet("/foundry/deployments/main/models", (HttpRequest request) =>
            Authorized(request.Headers["api-key"].ToString(),
                () => Results.Json(new { data = Models.Select(m => new { id = m }) })));

        app.MapGet("/slow/v1/models", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return Results.Json(new { data = Array.Empty<object>() });
        });
    }

    /// <summary>A rejected key gets 401 with a body that echoes it back, as careless providers do: the portal must never pass that on.</summary>
    private IResult Authorized(string presentedKey, Func<IResult> answer) =>
        string.Equals(presentedKey, AcceptedKey, StringComparison.Ordinal)
            ? answer()
            : Results.Json(new { error = new { message = $"Incorrect API key provided: {presentedKey}", type = "invalid_request_error" } }, statusCode: 401);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _serviceAccountKey.Dispose();
    }
}
