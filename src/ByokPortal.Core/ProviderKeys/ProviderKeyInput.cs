namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// What the add/edit key form collects (and what an API would send): validated by <see cref="ProviderKeyInputValidator"/> in the form
/// and again by the commands. The credential is held only until Save hands it to the secret store; the form then clears it.
/// </summary>
public sealed class ProviderKeyInput
{
    public ProviderKind Provider { get; set; } = ProviderKind.OpenAI;

    public string Name { get; set; } = "";

    /// <summary>The API key as typed. When editing, empty keeps the stored one.</summary>
    public string? Credential { get; set; }

    /// <summary>Base URL, resource URL (Azure OpenAI) or deployment URL (Microsoft Foundry); empty means the provider's default.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Azure OpenAI's api-version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Models to add: chosen from "Available models" or typed with "Add model".</summary>
    public IList<string> ModelIds { get; } = [];

    /// <summary>Organization keys: serve every API key of the organization, or only <see cref="ApiKeyIds"/>.</summary>
    public bool AssignToEntireOrganization { get; set; } = true;

    public IList<Guid> ApiKeyIds { get; } = [];

    /// <summary>Set by the use case, not the caller: editing keeps the stored credential when none is typed.</summary>
    public bool IsEdit { get; set; }

    /// <summary>Set by the use case, not the caller: enterprise keys are saved with at least one model.</summary>
    public bool RequireModels { get; set; }

    public string? EffectiveBaseUrl =>
        string.IsNullOrWhiteSpace(BaseUrl) ? ProviderCatalog.Get(Provider).DefaultBaseUrl : BaseUrl.Trim().TrimEnd('/');

    public string? EffectiveApiVersion =>
        ProviderCatalog.Get(Provider).TakesApiVersion ? (string.IsNullOrWhiteSpace(ApiVersion) ? ProviderCatalog.DefaultAzureApiVersion : ApiVersion.Trim()) : null;

    /// <summary>Forgets the credential (after Save, or when the form closes).</summary>
    public void ClearCredential() => Credential = null;
}
