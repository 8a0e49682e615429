using System.Net.Http.Headers;
using System.Text.Json;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// The common shape of providers that take one API key and a base URL: the key field, the endpoint field, their rules, the masked
/// hint (last 4 characters) and an OpenAI-style model list (<c>data[].id</c>). Providers differ in their defaults, headers and paths.
/// </summary>
public abstract class ApiKeyAdapter : IProviderAdapter
{
    public const string OptionalKeyHelp = "Optional for this provider.";
    public const string KeyHelp = "Stored in the secret store; afterwards only its last 4 characters are shown.";

    protected ApiKeyAdapter(ProviderKind kind, string? defaultBaseUrl, bool credentialRequired = true, string endpointLabel = "Base URL", string? endpointPlaceholder = null, string? endpointHelp = null)
    {
        Kind = kind;
        DefaultBaseUrl = defaultBaseUrl;
        CredentialRequired = credentialRequired;
        EndpointField = new FormField(FormField.BaseUrl, endpointLabel, FieldInput.Text,
            Help: endpointHelp ?? (defaultBaseUrl is { } url ? $"{url} by default; change it for a regional endpoint or a gateway." : "Required for this provider."),
            Placeholder: endpointPlaceholder ?? defaultBaseUrl,
            Required: defaultBaseUrl is null,
            MaxLength: ProviderKey.BaseUrlMaxLength);
        KeyField = new FormField(FormField.Credential, "API key", FieldInput.Password, credentialRequired ? KeyHelp : OptionalKeyHelp, Required: credentialRequired,
            MaxLength: ProviderKeyInputValidator.MaxCredentialLength);
    }

    public ProviderKind Kind { get; }

    public bool CredentialRequired { get; }

    protected string? DefaultBaseUrl { get; }

    protected FormField KeyField { get; }

    protected FormField EndpointField { get; }

    public virtual ProviderForm Form => new([KeyField, EndpointField]);

    public virtual IEnumerable<FieldError> Validate(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FieldRules.ApiKey(input.Credential, nameof(ProviderKeyInput.Credential), KeyField.Label)
            .Concat(FieldRules.Url(input.BaseUrl, EndpointField.Property, EndpointField.Label, EndpointField.Required));
    }

    public bool CredentialIsEmpty(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return string.IsNullOrWhiteSpace(input.Credential);
    }

    public string? Secret(ProviderKeyInput input) => CredentialIsEmpty(input) ? null : input.Credential!.Trim();

    public string MaskedHint(string? secret) => ProviderKey.MaskOf(secret);

    public virtual StoredConnection Connection(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new StoredConnection(FieldRules.EffectiveUrl(input.BaseUrl, DefaultBaseUrl), null, null);
    }

    public virtual ValueTask<IReadOnlyList<ModelListCall>> ModelListCallsAsync(ProviderConnection connection, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var request = new HttpRequestMessage(HttpMethod.Get, ModelListAddress(connection));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        PutKey(request, credential);
        return ValueTask.FromResult<IReadOnlyList<ModelListCall>>([new ModelListCall(request, null)]);
    }

    public virtual IEnumerable<string> ReadModelIds(JsonElement answer, ModelListCall call) =>
        Array(answer, "data").Select(m => m.GetProperty("id").GetString() ?? "").Where(id => id.Length > 0);

    public virtual ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ValueTask.FromResult(new CopilotProviderConfig("openai", OpenAIBase(connection), credential as string is { Length: > 0 } key ? key : null, null, "completions", null));
    }

    public virtual Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return OpenAIPath(api) is { } path ? new Uri(OpenAIBase(connection) + path) : null;
    }

    public virtual ValueTask AuthenticateAsync(HttpRequestMessage request, ProviderConnection connection, object? credential, string modelId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PutKey(request, credential as string);
        return ValueTask.CompletedTask;
    }

    /// <summary><c>GET {base}/models</c> unless the provider lists elsewhere.</summary>
    protected virtual string ModelListAddress(ProviderConnection connection) => connection.BaseUrl + "/models";

    /// <summary>A Bearer key (the OpenAI way) unless the provider has its own header.</summary>
    protected virtual void PutKey(HttpRequestMessage request, string? credential)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(credential))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }

    /// <summary>The base URL that OpenAI's paths hang off (for most providers, the saved base URL itself).</summary>
    protected virtual string OpenAIBase(ProviderConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BaseUrl;
    }

    protected static string? OpenAIPath(GatewayApi api) => api switch
    {
        GatewayApi.ChatCompletions => "/chat/completions",
        GatewayApi.Responses => "/responses",
        GatewayApi.Embeddings => "/embeddings",
        _ => null,
    };

    /// <summary>The array under <paramref name="property"/>, or an error: anything else is not a model list.</summary>
    protected static JsonElement.ArrayEnumerator Array(JsonElement answer, string property)
    {
        var list = answer.GetProperty(property);
        return list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : throw new InvalidOperationException("The model list is not an array.");
    }
}
