namespace ByokPortal.Core.Secrets;

/// <summary>Where a credential lives in the secret store: an opaque name (never a customer's or organization's name) and a version.</summary>
public sealed record SecretReference(string Name, string Version);

/// <summary>A credential the store holds, by its opaque name, and when its latest version was written. Never its value.</summary>
public sealed record StoredSecret(string Name, DateTimeOffset LastWrittenAt);

/// <summary>
/// The only place provider credentials are kept: Azure Key Vault in production, a local store encrypted with
/// ASP.NET Core Data Protection by default. The database holds only the <see cref="SecretReference"/>.
/// When the store itself cannot be used (unreachable, refusing the portal's identity, throttling beyond its retries, a key ring
/// that cannot decrypt, a folder that cannot be written) every operation throws <see cref="SecretStoreUnavailableException"/>
/// with the cause inside.
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

    /// <summary>
    /// Takes back one version written by <see cref="UpdateAsync"/> that no key will reference (its save failed); the older versions
    /// stay readable. Key Vault cannot delete a single version: there it is disabled, which makes it unreadable.
    /// A missing version is not an error.
    /// </summary>
    Task DeleteVersionAsync(SecretReference reference, CancellationToken cancellationToken);

    /// <summary>Every credential the portal stored there and has not deleted (names and times only), for the orphan sweeper.</summary>
    IAsyncEnumerable<StoredSecret> ListAsync(CancellationToken cancellationToken);

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

/// <summary>The secret store cannot be used right now; <see cref="Exception.InnerException"/> says why. Never carries a secret.</summary>
public sealed class SecretStoreUnavailableException : Exception
{
    public SecretStoreUnavailableException()
        : base("The secret store is not available.")
    {
    }

    public SecretStoreUnavailableException(string message)
        : base(message)
    {
    }

    public SecretStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
