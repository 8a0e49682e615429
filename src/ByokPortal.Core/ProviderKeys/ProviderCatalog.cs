namespace ByokPortal.Core.ProviderKeys;

public enum ProviderKind
{
    OpenAI,
    AzureOpenAI,
    MicrosoftFoundry,
    Anthropic,
    GoogleAIStudio,
    GoogleVertexAI,
    Mistral,
    XAI,
    DeepSeek,
    ZAI,
    Minimax,
    AwsBedrock,
    Ollama,
    OpenAICompatible,
}

/// <summary>How a provider takes its credential.</summary>
public enum CredentialKind
{
    ApiKey,

    /// <summary>Ollama and other local gateways: a key is optional.</summary>
    OptionalApiKey,

    /// <summary>Google Vertex AI: the service-account JSON key file.</summary>
    ServiceAccountJson,

    /// <summary>AWS Bedrock: access key ID and secret access key per region.</summary>
    AwsIamPerRegion,
}

/// <summary>How the provider's model list is read by "Fetch new models" and "Test credentials".</summary>
public enum ModelListing
{
    /// <summary><c>GET {deployment}/models</c> with header <c>api-key</c>: proves the key; models are typed by ID (Microsoft Foundry).</summary>
    FoundryModels,

    /// <summary><c>GET {base}/models</c> with <c>Authorization: Bearer</c> (OpenAI and OpenAI-compatible providers).</summary>
    OpenAIModels,

    /// <summary><c>GET {resource}/openai/deployments?api-version=…</c> with header <c>api-key</c>.</summary>
    AzureDeployments,

    /// <summary><c>GET {base}/v1/models</c> with <c>x-api-key</c> and <c>anthropic-version</c>.</summary>
    AnthropicModels,

    /// <summary><c>GET {base}/v1beta/models</c> with header <c>x-goog-api-key</c> (never <c>?key=</c>).</summary>
    GoogleModels,

    /// <summary>Service-account token, then the publisher models call.</summary>
    VertexModels,

    /// <summary>SigV4-signed <c>ListFoundationModels</c> per region.</summary>
    BedrockFoundationModels,
}

/// <summary>The wire shape a resolved provider configuration takes (GitHub Copilot SDK's <c>type</c>).</summary>
public enum RuntimeProviderType
{
    OpenAI,
    Azure,
    Anthropic,
}

/// <summary>What the portal knows about one provider.</summary>
public sealed record ProviderInfo(
    ProviderKind Kind,
    string DisplayName,
    CredentialKind Credential,
    string? DefaultBaseUrl,
    bool EndpointRequired,
    string EndpointLabel,
    ModelListing Listing,
    RuntimeProviderType RuntimeType)
{
    /// <summary>"Fetch new models" fills "Available models"; otherwise the form takes model IDs with "Add model".</summary>
    public bool CanListModels => Listing != ModelListing.FoundryModels;

    /// <summary>The credential kinds the add-key form takes today (API keys); Vertex service accounts and Bedrock IAM come later.</summary>
    public bool TakesApiKey => Credential is CredentialKind.ApiKey or CredentialKind.OptionalApiKey;

    public bool ApiKeyRequired => Credential == CredentialKind.ApiKey;

    public bool TakesApiVersion => Kind == ProviderKind.AzureOpenAI;
}

/// <summary>The providers ByokPortal supports, with their credential kinds, endpoints and how they are checked.</summary>
public static class ProviderCatalog
{
    public const string DefaultAzureApiVersion = "2024-10-21";

    public static readonly IReadOnlyList<ProviderInfo> All =
    [
        new(ProviderKind.OpenAI, "OpenAI", CredentialKind.ApiKey, "https://api.openai.com/v1", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.AzureOpenAI, "Azure OpenAI", CredentialKind.ApiKey, null, true, "Resource URL", ModelListing.AzureDeployments, RuntimeProviderType.Azure),
        new(ProviderKind.MicrosoftFoundry, "Microsoft Foundry", CredentialKind.ApiKey, null, true, "Deployment URL", ModelListing.FoundryModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.Anthropic, "Anthropic", CredentialKind.ApiKey, "https://api.anthropic.com", false, "Base URL", ModelListing.AnthropicModels, RuntimeProviderType.Anthropic),
        new(ProviderKind.GoogleAIStudio, "Google AI Studio", CredentialKind.ApiKey, "https://generativelanguage.googleapis.com", false, "Base URL", ModelListing.GoogleModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.GoogleVertexAI, "Google Vertex AI", CredentialKind.ServiceAccountJson, null, false, "Base URL", ModelListing.VertexModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.Mistral, "Mistral AI", CredentialKind.ApiKey, "https://api.mistral.ai/v1", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.XAI, "xAI", CredentialKind.ApiKey, "https://api.x.ai/v1", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.DeepSeek, "DeepSeek", CredentialKind.ApiKey, "https://api.deepseek.com/v1", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.ZAI, "Z.AI", CredentialKind.ApiKey, "https://api.z.ai/api/paas/v4", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.Minimax, "Minimax", CredentialKind.ApiKey, "https://api.minimax.io/v1", false, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.AwsBedrock, "AWS Bedrock", CredentialKind.AwsIamPerRegion, null, false, "Base URL", ModelListing.BedrockFoundationModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.Ollama, "Ollama", CredentialKind.OptionalApiKey, "http://localhost:11434/v1", true, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
        new(ProviderKind.OpenAICompatible, "OpenAI-compatible", CredentialKind.OptionalApiKey, null, true, "Base URL", ModelListing.OpenAIModels, RuntimeProviderType.OpenAI),
    ];

    private static readonly Dictionary<ProviderKind, ProviderInfo> ByKind = All.ToDictionary(p => p.Kind);

    public static ProviderInfo Get(ProviderKind kind) => ByKind[kind];

    /// <summary>Whether <paramref name="kind"/> is one of the providers above (input from outside may hold any number).</summary>
    public static bool IsKnown(ProviderKind kind) => ByKind.ContainsKey(kind);

    /// <summary>Providers an owner can add with the API-key form.</summary>
    public static IReadOnlyList<ProviderInfo> ApiKeyProviders { get; } = All.Where(p => p.TakesApiKey).ToList();

    /// <summary>GitHub Models' "Add a custom key" offers OpenAI and Azure AI only.</summary>
    public static IReadOnlyList<ProviderInfo> CustomKeyProviders { get; } = [Get(ProviderKind.OpenAI), Get(ProviderKind.AzureOpenAI) with { DisplayName = "Azure AI" }];
}
