using System.Net.Http.Headers;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Providers that speak OpenAI's API at their base URL with a Bearer key: OpenAI, Mistral, xAI, DeepSeek, Z.AI, Minimax, Ollama and any
/// OpenAI-compatible server (the key is optional for the last two). Requests go to <c>{base}/chat/completions</c>, <c>/responses</c>,
/// <c>/embeddings</c>.
/// </summary>
public class OpenAICompatibleAdapter(ProviderKind kind) : IProviderAdapter
{
    public ProviderKind Kind { get; } = kind;

    public virtual CopilotProviderConfig CopilotConfiguration(ProviderConnection connection, string? credential)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new CopilotProviderConfig("openai", OpenAIBase(connection), string.IsNullOrEmpty(credential) ? null : credential, null, "completions", null);
    }

    public virtual Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return OpenAIPath(api) is { } path ? new Uri(OpenAIBase(connection) + path) : null;
    }

    public virtual void Authenticate(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(credential))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }

    /// <summary>The base URL that OpenAI's paths hang off (for most providers, the saved base URL itself).</summary>
    protected virtual string OpenAIBase(ProviderConnection connection) => connection.BaseUrl.TrimEnd('/');

    protected static string? OpenAIPath(GatewayApi api) => api switch
    {
        GatewayApi.ChatCompletions => "/chat/completions",
        GatewayApi.Responses => "/responses",
        GatewayApi.Embeddings => "/embeddings",
        _ => null,
    };
}
