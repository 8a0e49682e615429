namespace ByokPortal.Secrets;

public enum SecretStoreProvider
{
    Local,
    KeyVault,
}

/// <summary>"Portal:Secrets".</summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Portal:Secrets";

    public SecretStoreProvider Provider { get; set; } = SecretStoreProvider.Local;

    /// <summary>Azure Key Vault's URI, e.g. https://my-vault.vault.azure.net/ (with <see cref="SecretStoreProvider.KeyVault"/>).</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>How long a read secret version stays in memory. Versions never change, so this bounds only memory, not staleness.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Key Vault retries on 429 and 5xx, with exponential backoff that honours Retry-After.</summary>
    public int MaxRetries { get; set; } = 5;
}
