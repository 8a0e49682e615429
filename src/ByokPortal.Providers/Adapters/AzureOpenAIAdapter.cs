using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Azure OpenAI at its resource URL, with header <c>api-key</c> and the saved <c>api-version</c>: chat completions and embeddings at the
/// deployment (<c>{resource}/openai/deployments/{model}/…</c>, the model ID being the deployment name), responses at <c>{resource}/openai/responses</c>.
/// Resolve answers the Copilot SDK's native Azure configuration.
/// </summary>
public sealed class AzureOpenAIAdapter : IProviderAdapter
{
    public ProviderKind Kind => ProviderKind.AzureOpenAI;

    public CopilotProviderConfig CopilotConfiguration(ProviderConnection connection, string? credential)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new CopilotProviderConfig("azure", connection.BaseUrl.TrimEnd('/'), credential, null, null, ApiVersion(connection));
    }

    public Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var root = connection.BaseUrl.TrimEnd('/');
        var version = "?api-version=" + Uri.EscapeDataString(ApiVersion(connection));
        var deployment = root + "/openai/deployments/" + Uri.EscapeDataString(modelId);
        return api switch
        {
            GatewayApi.ChatCompletions => new Uri(deployment + "/chat/completions" + version),
            GatewayApi.Embeddings => new Uri(deployment + "/embeddings" + version),
            GatewayApi.Responses => new Uri(root + "/openai/responses" + version),
            _ => null,
        };
    }

    public void Authenticate(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("api-key", credential);
    }

    private static string ApiVersion(ProviderConnection connection) =>
        string.IsNullOrWhiteSpace(connection.ApiVersion) ? ProviderCatalog.DefaultAzureApiVersion : connection.ApiVersion;
}
