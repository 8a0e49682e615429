using ByokPortal.Providers.Adapters;

namespace ByokPortal.Runtime.Resolution;

/// <summary><c>POST /api/v1/resolve</c>'s body.</summary>
public sealed record ResolveRequest(string Model);

/// <summary>
/// <c>{"model","key":{"id","name","source"},"provider":{…}}</c>; <c>note</c> says when <c>provider</c> is the portal's own gateway rather than
/// the provider itself (AWS Bedrock, which the Copilot SDK cannot call directly).
/// </summary>
public sealed record ResolveResponse(string Model, ResolvedKey Key, ProviderShape Provider, string? Note = null);

/// <summary>The key that serves the model: its ID, name and source (<c>apiKey</c>, <c>organization</c>, <c>enterprise</c>); never its value.</summary>
public sealed record ResolvedKey(Guid Id, string Name, string Source);

/// <summary>The GitHub Copilot SDK's provider configuration, ready to pass to <c>createSession</c>.</summary>
public sealed record ProviderShape(string Type, string BaseUrl, string? ApiKey, string? BearerToken, string? WireApi, AzureShape? Azure)
{
    public static ProviderShape From(CopilotProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ProviderShape(config.Type, config.BaseUrl, config.ApiKey, config.BearerToken, config.WireApi,
            config.AzureApiVersion is { } version ? new AzureShape(version) : null);
    }
}

public sealed record AzureShape(string ApiVersion);

/// <summary><c>GET /api/v1/models</c>.</summary>
public sealed record ModelList(IReadOnlyList<ModelEntry> Data);

public sealed record ModelEntry(string Id, Guid KeyId, string KeyName, string Provider, string Source);

/// <summary><c>GET /v1/models</c>, OpenAI's shape.</summary>
public sealed record OpenAIModelList([property: System.Text.Json.Serialization.JsonPropertyName("object")] string Kind, IReadOnlyList<OpenAIModel> Data);

public sealed record OpenAIModel(string Id, [property: System.Text.Json.Serialization.JsonPropertyName("object")] string Kind, [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy);
