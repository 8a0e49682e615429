using System.Net.Http.Headers;
using System.Text.Json;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Anthropic: models at <c>{base}/v1/models</c> and its own Messages API at <c>{base}/v1/messages</c>, both with <c>x-api-key</c> and
/// <c>anthropic-version</c> (passed through from the application or set), and its OpenAI-compatible chat completions at
/// <c>{base}/v1/chat/completions</c> with a Bearer key.
/// </summary>
public sealed class AnthropicAdapter() : ApiKeyAdapter(ProviderKind.Anthropic, "https://api.anthropic.com")
{
    public const string DefaultVersion = "2023-06-01";

    public override ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ValueTask.FromResult(new CopilotProviderConfig("anthropic", connection.BaseUrl, credential as string, null, null, null));
    }

    public override Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return api switch
        {
            GatewayApi.AnthropicMessages => new Uri(connection.BaseUrl + "/v1/messages"),
            GatewayApi.ChatCompletions => new Uri(connection.BaseUrl + "/v1/chat/completions"),
            _ => null,
        };
    }

    public override ValueTask AuthenticateAsync(HttpRequestMessage request, ProviderConnection connection, object? credential, string modelId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri?.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) == true)
        {
            PutKey(request, credential as string);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential as string);
        }

        return ValueTask.CompletedTask;
    }

    protected override string ModelListAddress(ProviderConnection connection) => connection.BaseUrl + "/v1/models?limit=1000";

    protected override void PutKey(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("x-api-key", credential);
        if (!request.Headers.Contains("anthropic-version"))
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", DefaultVersion);
        }
    }
}

/// <summary>
/// Google AI Studio: models at <c>{base}/v1beta/models</c> with header <c>x-goog-api-key</c> (never <c>?key=</c>: query strings end up in
/// logs); the gateway through its OpenAI-compatible endpoint, <c>{base}/v1beta/openai</c>, with a Bearer key.
/// </summary>
public sealed class GoogleAIStudioAdapter() : ApiKeyAdapter(ProviderKind.GoogleAIStudio, "https://generativelanguage.googleapis.com")
{
    public override ValueTask<IReadOnlyList<ModelListCall>> ModelListCallsAsync(ProviderConnection connection, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var request = new HttpRequestMessage(HttpMethod.Get, connection.BaseUrl + "/v1beta/models?pageSize=1000");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("x-goog-api-key", credential);
        return ValueTask.FromResult<IReadOnlyList<ModelListCall>>([new ModelListCall(request, null)]);
    }

    public override IEnumerable<string> ReadModelIds(JsonElement answer, ModelListCall call) =>
        Array(answer, "models")
            .Select(m => m.GetProperty("name").GetString() ?? "")
            .Select(name => name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name)
            .Where(id => id.Length > 0);

    protected override string OpenAIBase(ProviderConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BaseUrl + "/v1beta/openai";
    }
}
