namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// What the add/edit key form collects (and what an API would send), validated by <see cref="ProviderKeyInputValidator"/> with the rule
/// sets of <see cref="ProviderKeyRuleSets"/>. Which fields a provider takes is its adapter's <see cref="ProviderForm"/>. The credential
/// is held only until Save hands it to the secret store.
/// </summary>
public sealed record ProviderKeyInput
{
    public ProviderKind Provider { get; init; } = ProviderKind.OpenAI;

    public string Name { get; init; } = "";

    /// <summary>The secret as typed: an API key, a service-account JSON. When editing, empty keeps the stored one.</summary>
    public string? Credential { get; init; }

    /// <summary>Repeating credential rows (AWS Bedrock's regions), each cell by its column's name. Empty rows are ignored.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> CredentialRows { get; init; } = [];

    /// <summary>Base URL, resource URL (Azure OpenAI) or deployment URL (Microsoft Foundry); empty means the provider's default.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Azure OpenAI's api-version.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The provider's other settings by field name (Vertex project and region, Foundry's wire API).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Models to add: chosen from "Available models" or typed with "Add model".</summary>
    public IReadOnlyList<string> ModelIds { get; init; } = [];

    /// <summary>Organization keys: serve every API key of the organization, or only <see cref="ApiKeyIds"/>.</summary>
    public bool AssignToEntireOrganization { get; init; } = true;

    public IReadOnlyList<Guid> ApiKeyIds { get; init; } = [];

    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;

    /// <summary>The rows that hold anything (a row left blank in the form is no row).</summary>
    public IEnumerable<(int Index, IReadOnlyDictionary<string, string?> Cells)> FilledRows =>
        CredentialRows.Select((row, index) => (index, row)).Where(r => r.row.Values.Any(v => !string.IsNullOrWhiteSpace(v)));

    /// <summary>Model IDs as stored: trimmed, each once.</summary>
    public IReadOnlyList<string> DistinctModelIds => ModelIds.Select(m => m.Trim()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>An organization key's assignment: the entire organization, or these API keys (each once).</summary>
    public IReadOnlyList<Guid> AssignedApiKeyIds => AssignToEntireOrganization ? [] : ApiKeyIds.Distinct().ToList();

    /// <summary>Never prints the credential (records print every property by default).</summary>
    public override string ToString() => $"ProviderKeyInput {{ Provider = {Provider}, Name = {Name} }}";
}
