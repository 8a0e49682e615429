using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>Where a saved provider key points: its base, resource or deployment URL, and Azure's api-version.</summary>
public sealed record ProviderConnection(string BaseUrl, string? ApiVersion);

/// <summary>The gateway's APIs: OpenAI-compatible ones, and Anthropic's own Messages API.</summary>
public enum GatewayApi
{
    ChatCompletions,
    Responses,
    Embeddings,
    AnthropicMessages,
}

/// <summary>
/// A provider configuration as the GitHub Copilot SDK's <c>createSession</c> takes it (<c>provider</c>): <c>type</c> (openai, azure,
/// anthropic), <c>baseUrl</c>, <c>apiKey</c> or <c>bearerToken</c>, <c>wireApi</c> (completions, responses) and <c>azure.apiVersion</c>.
/// </summary>
public sealed record CopilotProviderConfig(string Type, string BaseUrl, string? ApiKey, string? BearerToken, string? WireApi, string? AzureApiVersion);

/// <summary>
/// What the runtime needs to know about one kind of provider: the Copilot SDK configuration that resolve answers, where a gateway request
/// for a model goes, and how the credential travels on it. One adapter per provider kind; nothing else in the runtime switches over providers.
/// </summary>
public interface IProviderAdapter
{
    ProviderKind Kind { get; }

    CopilotProviderConfig CopilotConfiguration(ProviderConnection connection, string? credential);

    /// <summary>The upstream address of a gateway call for <paramref name="modelId"/>, or null when this provider does not serve that API.</summary>
    Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId);

    /// <summary>Puts the credential on an upstream request, in the provider's own header (never in the URL).</summary>
    void Authenticate(HttpRequestMessage request, string? credential);
}
