using System.Net.Http.Headers;
using System.Text.Json;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Google;

namespace ByokPortal.Providers.Adapters;

/// <summary>
/// Google Vertex AI with a service-account key file (pasted or uploaded), a project (prefilled from the file's <c>project_id</c>) and a
/// region. The file is stored as the one secret and never leaves the portal: Test credentials, resolve and the gateway use a short-lived
/// access token minted from it (<see cref="ServiceAccountTokens"/>). Models are listed at
/// <c>GET {regional host}/v1beta1/publishers/google/models</c>; inference goes to Vertex's OpenAI-compatible endpoint
/// <c>{regional host}/v1/projects/{project}/locations/{region}/endpoints/openapi</c>, where model IDs read <c>google/gemini-…</c>.
/// </summary>
public sealed class GoogleVertexAIAdapter(ServiceAccountTokens tokens) : IProviderAdapter
{
    public const string ProjectSetting = "project";
    public const string RegionSetting = "region";
    public const string DefaultRegion = "us-central1";

    /// <summary>Stored as the endpoint when none is typed: Google's host for the key's region (<c>{region}-aiplatform.googleapis.com</c>).</summary>
    public const string GoogleEndpoints = "https://aiplatform.googleapis.com";

    private static readonly FormField KeyFileField = new(FormField.Credential, "Service account JSON", FieldInput.JsonFile,
        "Paste or upload the key file downloaded from Google Cloud Console. Stored in the secret store; afterwards only the account's e-mail and key ID are shown.",
        Required: true, MaxLength: ProviderKeyInputValidator.MaxKeyFileLength);

    private static readonly FormField ProjectField = new(ProjectSetting, "Project ID", FieldInput.Text,
        "Filled in from the key file's project_id; change it to bill another project.", MaxLength: 63);

    private static readonly FormField RegionField = new(RegionSetting, "Region", FieldInput.Text,
        $"A Vertex AI region such as {DefaultRegion} or europe-west4, or global; {DefaultRegion} when empty.", Placeholder: DefaultRegion, MaxLength: 32);

    private static readonly FormField EndpointField = new(FormField.BaseUrl, "Endpoint URL", FieldInput.Text,
        "Leave empty for Google's endpoint in the region ({region}-aiplatform.googleapis.com); set it for Private Service Connect or a proxy.",
        Placeholder: "https://{region}-aiplatform.googleapis.com", MaxLength: ProviderKey.BaseUrlMaxLength);

    public ProviderKind Kind => ProviderKind.GoogleVertexAI;

    public bool CredentialRequired => true;

    public ProviderForm Form { get; } = new([KeyFileField, ProjectField, RegionField, EndpointField],
        ModelIdHelp: "Vertex model IDs read publisher/model, as in google/gemini-2.0-flash-001.",
        Note: "Give the service account only the Vertex AI User role.");

    public IEnumerable<FieldError> Validate(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var credential = input.Credential;
        ServiceAccountKey? account = null;
        if (!string.IsNullOrWhiteSpace(credential))
        {
            if (credential.Length > ProviderKeyInputValidator.MaxKeyFileLength)
            {
                yield return new(nameof(ProviderKeyInput.Credential), $"{KeyFileField.Label} is too long: a key file is about 2–3 KB.");
            }
            else
            {
                account = ServiceAccountKey.TryParse(credential, out var problem);
                if (account is null)
                {
                    yield return new(nameof(ProviderKeyInput.Credential), $"{KeyFileField.Label} {problem}");
                }
            }
        }

        var project = input.Setting(ProjectSetting);
        if (string.IsNullOrWhiteSpace(project) && account is null)
        {
            if (string.IsNullOrWhiteSpace(credential))
            {
                yield return new(ProjectField.Property, "Project ID is required.");
            }
        }
        else
        {
            foreach (var error in FieldRules.Identifier(project, ProjectField.Property, ProjectField.Label, required: false, maxLength: 63))
            {
                yield return error;
            }
        }

        foreach (var error in FieldRules.Identifier(input.Setting(RegionSetting), RegionField.Property, RegionField.Label, required: false, maxLength: 32))
        {
            yield return error;
        }

        foreach (var error in FieldRules.Url(input.BaseUrl, EndpointField.Property, EndpointField.Label, required: false))
        {
            yield return error;
        }
    }

    public bool CredentialIsEmpty(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return string.IsNullOrWhiteSpace(input.Credential);
    }

    public string? Secret(ProviderKeyInput input) => CredentialIsEmpty(input) ? null : input.Credential!.Trim();

    public string MaskedHint(string? secret) =>
        string.IsNullOrWhiteSpace(secret) ? ProviderKey.NoKeyHint : ServiceAccountKey.TryParse(secret, out _)?.Hint ?? "••••";

    public IReadOnlyDictionary<string, string> Prefill(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ServiceAccountKey.TryParse(input.Credential, out _) is { } account
            ? new Dictionary<string, string> { [ProjectSetting] = account.ProjectId }
            : new Dictionary<string, string>();
    }

    public StoredConnection Connection(ProviderKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var project = input.Setting(ProjectSetting)?.Trim();
        if (string.IsNullOrEmpty(project))
        {
            project = ServiceAccountKey.TryParse(input.Credential, out _)?.ProjectId ?? "";
        }

        var region = input.Setting(RegionSetting)?.Trim();
        var settings = new Dictionary<string, string> { [ProjectSetting] = project, [RegionSetting] = string.IsNullOrEmpty(region) ? DefaultRegion : region };
        return new StoredConnection(FieldRules.EffectiveUrl(input.BaseUrl, GoogleEndpoints), null, JsonSerializer.Serialize(settings));
    }

    public string? ModelIdProblem(string modelId) =>
        modelId.Contains('/', StringComparison.Ordinal) ? null : "Vertex model IDs name their publisher, as in google/gemini-2.0-flash-001.";

    public object? PrepareCredential(string? credential) =>
        credential is null ? null : ServiceAccountKey.TryParse(credential, out _) ?? throw new FormatException("The stored key file is not a service-account key.");

    public async ValueTask<IReadOnlyList<ModelListCall>> ModelListCallsAsync(ProviderConnection connection, string? credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var account = ServiceAccountKey.TryParse(credential, out var problem)
                      ?? throw new ProviderCallException(new ProviderCallError(ProviderFailureReason.Refused, $"{KeyFileField.Label} {problem}"));
        var token = await tokens.AccessTokenAsync(account, cancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host(connection) + "/v1beta1/publishers/google/models"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("x-goog-user-project", Project(connection, account));
        return [new ModelListCall(request, null)];
    }

    /// <summary><c>publisherModels[].name</c> reads <c>publishers/google/models/gemini-…</c>; the OpenAI-compatible endpoint calls it <c>google/gemini-…</c>.</summary>
    public IEnumerable<string> ReadModelIds(JsonElement answer, ModelListCall call)
    {
        var list = answer.GetProperty("publisherModels");
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException("The model list is not an array.");
        }

        foreach (var model in list.EnumerateArray())
        {
            var parts = (model.GetProperty("name").GetString() ?? "").Split('/');
            if (parts is ["publishers", var publisher, "models", var id] && publisher.Length > 0 && id.Length > 0)
            {
                yield return $"{publisher}/{id}";
            }
        }
    }

    public async ValueTask<CopilotProviderConfig> CopilotConfigurationAsync(ProviderConnection connection, object? credential, ResolveCaller caller, CancellationToken cancellationToken)
    {
        var account = Account(credential);
        var token = await tokens.AccessTokenAsync(account, cancellationToken);
        return new CopilotProviderConfig("openai", OpenAIBase(connection, account), null, token, "completions", null);
    }

    public Uri? GatewayAddress(ProviderConnection connection, GatewayApi api, string modelId) => api switch
    {
        GatewayApi.ChatCompletions => new Uri(OpenAIBase(connection, null) + "/chat/completions"),
        GatewayApi.Embeddings => new Uri(OpenAIBase(connection, null) + "/embeddings"),
        _ => null,
    };

    public async ValueTask AuthenticateAsync(HttpRequestMessage request, ProviderConnection connection, object? credential, string modelId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(Account(credential), cancellationToken));
    }

    private static ServiceAccountKey Account(object? credential) =>
        credential as ServiceAccountKey ?? throw new ProviderCallException(new ProviderCallError(ProviderFailureReason.Refused, "This key has no service account: edit it and add the key file."));

    /// <summary><c>{host}/v1/projects/{project}/locations/{region}/endpoints/openapi</c>.</summary>
    private static string OpenAIBase(ProviderConnection connection, ServiceAccountKey? account)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return $"{Host(connection)}/v1/projects/{Uri.EscapeDataString(Project(connection, account))}/locations/{Uri.EscapeDataString(Region(connection))}/endpoints/openapi";
    }

    private static string Host(ProviderConnection connection) =>
        !string.Equals(connection.BaseUrl, GoogleEndpoints, StringComparison.OrdinalIgnoreCase) || Region(connection) == "global"
            ? connection.BaseUrl
            : $"https://{Region(connection)}-aiplatform.googleapis.com";

    private static string Region(ProviderConnection connection) => connection.Setting(RegionSetting) is { Length: > 0 } region ? region : DefaultRegion;

    private static string Project(ProviderConnection connection, ServiceAccountKey? account) =>
        connection.Setting(ProjectSetting) is { Length: > 0 } project ? project : account?.ProjectId ?? "";
}
