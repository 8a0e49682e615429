using ByokPortal.Core.Common;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// One credential for one provider, owned by the enterprise (<see cref="OrganizationId"/> is null) or by one organization.
/// The secret itself lives only in the secret store: this row holds an opaque reference and a masked hint.
/// </summary>
public sealed class ProviderKey : IVersioned
{
    public const int NameMaxLength = 100;
    public const int BaseUrlMaxLength = 2048;
    public const int MaskedHintMaxLength = 256;

    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid EnterpriseId { get; set; }

    /// <summary>Null for an enterprise key; the owning organization otherwise.</summary>
    public Guid? OrganizationId { get; set; }

    /// <summary>"enterprise" or the organization ID: makes (EnterpriseId, Scope, NormalizedName) unique on every database.</summary>
    public required string Scope { get; set; }

    /// <summary>Shown in the model picker.</summary>
    public required string Name { get; set; }

    public required string NormalizedName { get; set; }

    public ProviderKind Provider { get; set; }

    /// <summary>The provider's base URL, resource URL (Azure OpenAI) or deployment URL (Microsoft Foundry).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Azure OpenAI's api-version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Non-secret settings some providers need (Vertex region and project, Bedrock regions, Foundry's wire API), as JSON.</summary>
    public string? SettingsJson { get; set; }

    /// <summary>The credential's opaque name in the secret store; null for a provider used without a key (a local Ollama).</summary>
    public string? SecretName { get; set; }

    public string? SecretVersion { get; set; }

    /// <summary>
    /// After a rotation, the version it replaced: still served until <see cref="PreviousSecretRetiresAt"/> for requests already under way,
    /// then disabled in the secret store.
    /// </summary>
    public string? PreviousSecretVersion { get; set; }

    public DateTimeOffset? PreviousSecretRetiresAt { get; set; }

    /// <summary>What the row may show of the credential (its adapter decides): "••••abcd", a service account's e-mail and key ID, never key material.</summary>
    public required string MaskedHint { get; set; }

    public Guid CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Organization keys: serve every API key of the organization ("Organization (all keys)"), or only the assigned ones.</summary>
    public bool AssignedToEntireOrganization { get; set; } = true;

    public CredentialTestStatus LastTestStatus { get; set; } = CredentialTestStatus.NotTested;

    public string? LastTestMessage { get; set; }

    public DateTimeOffset? LastTestedAt { get; set; }

    /// <summary>Set when the gateway saw the provider refuse the key: the background health check tests it again soon, then clears it.</summary>
    public DateTimeOffset? RecheckRequestedAt { get; set; }

    public Guid Version { get; set; } = Guid.NewGuid();

    public bool IsEnterpriseKey => OrganizationId is null;

    public const string EnterpriseScope = "enterprise";

    public static string ScopeFor(Guid? organizationId) => organizationId?.ToString("N") ?? EnterpriseScope;

    /// <summary>
    /// The name as uniqueness sees it: case-insensitive, and every run of white space counts as one space, because the model picker
    /// (HTML) shows "Prod  Key" and "Prod Key" alike.
    /// </summary>
    public static string NormalizeName(string name) =>
        string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToUpperInvariant();

    /// <summary>The masked hint of an API key: its last 4 characters behind bullets; never more.</summary>
    public static string MaskOf(string? credential)
    {
        var trimmed = credential?.Trim() ?? "";
        return trimmed.Length switch
        {
            0 => NoKeyHint,
            <= 8 => "••••",
            _ => "••••" + trimmed[^4..],
        };
    }

    public const string NoKeyHint = "No key";

    public Core.Secrets.SecretReference? SecretReference =>
        SecretName is null || SecretVersion is null ? null : new Core.Secrets.SecretReference(SecretName, SecretVersion);
}

/// <summary>Result of the last "Test credentials" (or fetch) against the provider.</summary>
public enum CredentialTestStatus
{
    NotTested = 0,
    Succeeded = 1,

    /// <summary>The provider refused the credential: runtime resolution fails with a clear error and never falls back.</summary>
    Invalid = 2,

    /// <summary>The provider could not be reached or answered oddly; the credential may still be good.</summary>
    Failed = 3,
}

/// <summary>An organization key limited to specific API keys of that organization.</summary>
public sealed class ProviderKeyAssignment
{
    public Guid ProviderKeyId { get; set; }

    public Guid ApiKeyId { get; set; }
}
