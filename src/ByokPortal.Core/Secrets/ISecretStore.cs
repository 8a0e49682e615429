namespace ByokPortal.Core.Secrets;

/// <summary>Where a credential lives in the secret store: an opaque name (never a customer's or organization's name) and a version.</summary>
public sealed record SecretReference(string Name, string Version);

/// <summary>
/// The only place provider credentials are kept: Azure Key Vault in production, a local store encrypted with
/// ASP.NET Core Data Protection by default. The database holds only the <see cref="SecretReference"/>.
/// </summary>
public interface ISecretStore
{
    /// <summary>Stores a new credential under a new opaque name.</summary>
    Task<SecretReference> CreateAsync(string value, CancellationToken cancellationToken);

    /// <summary>Stores a new version of an existing credential; older versions stay readable until the secret is deleted.</summary>
    Task<SecretReference> UpdateAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Reads one version. Throws <see cref="SecretNotFoundException"/> when it does not exist.</summary>
    Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken);

    /// <summary>Deletes every version; deleting a missing secret is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Proves the store can be used now (for /healthz); never reads a customer's secret.</summary>
    Task CheckAvailableAsync(CancellationToken cancellationToken);
}

public sealed class SecretNotFoundException : Exception
{
    public SecretNotFoundException()
        : base("The secret does not exist in the secret store.")
    {
    }

    public SecretNotFoundException(string message)
        : base(message)
    {
    }

    public SecretNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
