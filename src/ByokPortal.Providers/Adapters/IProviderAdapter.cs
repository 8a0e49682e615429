using System.Text.Json;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>Where a saved provider key points at run time: its base, resource or deployment URL, Azure's api-version, its settings.</summary>
public sealed record ProviderConnection(string BaseUrl, string? ApiVersion, IReadOnlyDictionary<string, string> Settings)
{
    public static ProviderConnection? From(StoredConnection saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        if (string.IsNullOrWhiteSpace(saved.BaseUrl))
        {
            return null;
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (saved.SettingsJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    settings[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return new ProviderConnection(saved.BaseUrl.TrimEnd('/'), saved.ApiVersion, settings);
    }

    public string? Setting(string name) => Settings.GetValueOrDefault(name);
}

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
/// <see cref="Note"/> says when the configuration is not the provider's own (AWS Bedrock is served through the portal's gateway).
/// </summary>
public sealed record CopilotProviderConfig(string Type, string BaseUrl, string? ApiKey, string? BearerToken, string? WireApi, string? AzureApiVersion, string? Note = null);

/// <summary>Who asked to resolve: the portal's own gateway address as the caller reached it, and the API key the caller presented.</summary>
public sealed record ResolveCaller(string GatewayBaseUrl, string? PresentedApiKey);

/// <summary>One model-list request; <see cref="Region"/> names the region it checks when the provider has several (AWS Bedrock).</summary>
public sealed record ModelListCall(HttpRequestMessage Request, string? Region) : IDisposable
{
    public void Dispose() => Request.Dispose();
}

/// <summary>A failure an adapter meets before any model-list request is sent (a service account's token refused), in the owner's words.</summary>
public sealed class ProviderCallException(Core.Common.ProviderCallError error) : Exception(error?.Message)
{
    public Core.Common.ProviderCallError Error { get; } = error!;
}

/// <summary>
/// Everything about one kind of provider, in one place: the form's fields, their rules, what is stored and shown
/// (<see cref="IProviderRules"/>), how "Fetch new models" and "Test credentials" list its models, the Copilot SDK configuration resolve
/// answers, where a gateway request for a model goes and how it is authenticated. One adapter per <see cref="ProviderKind"/>; nothing
/// else switches over providers.
/// </summary>
public interface IProviderAdapter : IProviderRules
{
    /// <summary>The requests that list the models (one for most providers; one per region for AWS Bedrock).</summary>
    ValueTask<IReadOnlyList<ModelListCall>> ModelListCallsAsync(ProviderConnection connection, string? credential, CancellationToken cancellationToken);

    /// <summary>The model IDs in one answer; throws (JSON, KeyNotFound, InvalidOperation) when the answer is not a model list.</summary>
    IEnumerable<string> ReadModelIds(JsonElement answer, ModelListCall call);

    /// <summary>Parses the stored secret once per snapshot (AWS regions, a service account), so requests never parse it.</summary>
    object? PrepareCredential(string? credential) => credential;

    ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken);

    /// <summary>True when <see cref="CopilotConfigurationAsync"/> answers with the portal's own gateway, so it needs the <see cref="ResolveCaller"/>.</summary>
    bool AnswersWithTheGateway => false;

    /// <summary>The upstream address of a gateway call for <paramref name="modelId"/>, or null when this provider does not serve that API.</summary>
    Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId);

    /// <summary>Puts the credential on an upstream request in the provider's own way (a header, a token, a signature; never the URL).</summary>
    ValueTask AuthenticateAsync(HttpRequestMessage request, ProviderConnection connection, object? credential, string modelId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The body to forward: the application's, unchanged, unless the provider names the model differently (AWS Bedrock's region prefix).</summary>
    ReadOnlyMemory<byte> UpstreamBody(ReadOnlyMemory<byte> body, string modelId) => body;
}
