using System.Net.Http.Headers;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Anthropic: its own Messages API at <c>{base}/v1/messages</c> with <c>x-api-key</c> (and <c>anthropic-version</c>, which the gateway passes
/// through from the application or sets), and its OpenAI-compatible chat completions at <c>{base}/v1/chat/completions</c> with a Bearer key.
/// </summary>
public sealed class AnthropicAdapter : IProviderAdapter
{
    public const string DefaultVersion = "2023-06-01";

    public ProviderKind Kind => ProviderKind.Anthropic;

    public CopilotProviderConfig CopilotConfiguration(ProviderConnection connection, string? credential)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new CopilotProviderConfig("anthropic", connection.BaseUrl.TrimEnd('/'), credential, null, null, null);
    }

    public Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var root = connection.BaseUrl.TrimEnd('/');
        return api switch
        {
            GatewayApi.AnthropicMessages => new Uri(root + "/v1/messages"),
            GatewayApi.ChatCompletions => new Uri(root + "/v1/chat/completions"),
            _ => null,
        };
    }

    public void Authenticate(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri?.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) == true)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", credential);
            if (!request.Headers.Contains("anthropic-version"))
            {
                request.Headers.TryAddWithoutValidation("anthropic-version", DefaultVersion);
            }
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }
}
