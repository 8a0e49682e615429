using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Azure OpenAI at its resource URL, with header <c>api-key</c> and the saved <c>api-version</c>: models listed as the resource's
/// deployments; chat completions and embeddings at the deployment (<c>{resource}/openai/deployments/{model}/…</c>, the model ID being the
/// deployment name), responses at <c>{resource}/openai/responses</c>. Resolve answers the Copilot SDK's native Azure configuration.
/// </summary>
public sealed class AzureOpenAIAdapter() : ApiKeyAdapter(ProviderKind.AzureOpenAI, null, endpointLabel: "Resource URL", endpointPlaceholder: "https://your-resource.openai.azure.com")
{
    public const string DefaultApiVersion = "2024-10-21";

    private static readonly FormField VersionField = new(FormField.ApiVersion, "API version", FieldInput.Text,
        $"Azure OpenAI api-version; {DefaultApiVersion} when empty.", Placeholder: DefaultApiVersion, MaxLength: 32);

    public override ProviderForm Form => new([KeyField, EndpointField, VersionField]);

    public override IEnumerable<FieldError> Validate(ProviderKeyInput input) =>
        base.Validate(input).Concat(FieldRules.ApiVersion(input.ApiVersion, nameof(ProviderKeyInput.ApiVersion)));

    public override StoredConnection Connection(ProviderKeyInput input) =>
        base.Connection(input) with { ApiVersion = string.IsNullOrWhiteSpace(input.ApiVersion) ? DefaultApiVersion : input.ApiVersion.Trim() };

    public override ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ValueTask.FromResult(new CopilotProviderConfig("azure", connection.BaseUrl, credential as string, null, null, ApiVersion(connection)));
    }

    public override Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var version = "?api-version=" + Uri.EscapeDataString(ApiVersion(connection));
        var deployment = connection.BaseUrl + "/openai/deployments/" + Uri.EscapeDataString(modelId);
        return api switch
        {
            GatewayApi.ChatCompletions => new Uri(deployment + "/chat/completions" + version),
            GatewayApi.Embeddings => new Uri(deployment + "/embeddings" + version),
            GatewayApi.Responses => new Uri(connection.BaseUrl + "/openai/responses" + version),
            _ => null,
        };
    }

    protected override string ModelListAddress(ProviderConnection connection) =>
        $"{connection.BaseUrl}/openai/deployments?api-version={Uri.EscapeDataString(ApiVersion(connection))}";

    protected override void PutKey(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("api-key", credential);
    }

    private static string ApiVersion(ProviderConnection connection) =>
        string.IsNullOrWhiteSpace(connection.ApiVersion) ? DefaultApiVersion : connection.ApiVersion;
}
