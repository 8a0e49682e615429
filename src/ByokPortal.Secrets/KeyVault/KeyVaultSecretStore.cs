using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using ByokPortal.Core.Secrets;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace ByokPortal.Secrets.KeyVault;

/// <summary>
/// Azure Key Vault through the real <see cref="SecretClient"/>. Key Vault throttles at about 4,000 reads per 10 s per vault,
/// so every version read is cached in memory by <see cref="HybridCache"/> (versions never change; never in a distributed cache: these are
/// credentials), and concurrent misses for the same version share one call (the cache's stampede protection);
/// the client retries 429 and 5xx with exponential backoff that honours Retry-After (see <see cref="DependencyInjection"/>).
/// What still fails after those retries (the vault unreachable, refusing the identity, throttling on) is a
/// <see cref="SecretStoreUnavailableException"/> with the client's exception inside.
/// </summary>
public sealed class KeyVaultSecretStore : ISecretStore
{
    /// <summary>A name no credential ever gets: reading it proves the vault is reachable and the identity may read secrets.</summary>
    internal const string HealthProbeName = "byokportal-health-probe";

    /// <summary>The content type of every credential the portal stores: with the name's prefix, what marks a secret as the portal's.</summary>
    internal const string CredentialContentType = "application/vnd.byokportal.credential";

    private readonly SecretClient _client;
    private readonly SecretsOptions _options;
    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _entryOptions;

    /// <summary>Bumped when a secret is deleted, so that no later read joins (or is served) a read that started before the delete.</summary>
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public KeyVaultSecretStore(SecretClient client, IOptions<SecretsOptions> options, HybridCache cache)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _cache = cache;
        _entryOptions = new HybridCacheEntryOptions
        {
            Expiration = _options.CacheDuration,
            LocalCacheExpiration = _options.CacheDuration,
            Flags = HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableCompression,
        };
    }

    public async Task<SecretReference> CreateAsync(string value, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.SetSecretAsync(NewSecret(SecretNames.NewName(), value), cancellationToken);
            return new SecretReference(response.Value.Name, response.Value.Properties.Version);
        }
        catch (Exception e) when (IsVaultFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task<SecretReference> UpdateAsync(string name, string value, CancellationToken cancellationToken)
    {
        EnsureSafe(name);
        try
        {
            var response = await _client.SetSecretAsync(NewSecret(name, value), cancellationToken);
            return new SecretReference(response.Value.Name, response.Value.Properties.Version);
        }
        catch (Exception e) when (IsVaultFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        EnsureSafe(reference.Name);
        EnsureSafe(reference.Version);
        try
        {
            return await _cache.GetOrCreateAsync(
                CacheKey(reference),
                (Store: this, Reference: reference),
                static (state, ct) => new ValueTask<string>(state.Store.LoadAsync(state.Reference, ct)),
                _entryOptions,
                [reference.Name],
                cancellationToken);
        }
        catch (Exception e) when (IsVaultFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        EnsureSafe(name);
        try
        {
            await _client.StartDeleteSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
        catch (Exception e) when (IsVaultFailure(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            // After the vault has deleted it (not before: a read in between would cache the value again), forget every cached
            // version, and let no later read join a read that started before the delete.
            _generations.AddOrUpdate(name, 1, (_, generation) => generation + 1);
            await _cache.RemoveByTagAsync(name, CancellationToken.None);
        }
    }

    /// <summary>Key Vault keeps every version until the secret is deleted: the version is disabled, so nobody can read it again.</summary>
    public async Task DeleteVersionAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        EnsureSafe(reference.Name);
        EnsureSafe(reference.Version);
        try
        {
            var properties = new SecretProperties(new Uri(_client.VaultUri, $"secrets/{reference.Name}/{reference.Version}")) { Enabled = false };
            await _client.UpdateSecretPropertiesAsync(properties, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
        catch (Exception e) when (IsVaultFailure(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            await _cache.RemoveAsync(CacheKey(reference), CancellationToken.None);
        }
    }

    /// <summary>
    /// The vault's secrets that are the portal's credentials: named with the portal's prefix and carrying its content type (a vault
    /// shared with other applications keeps their secrets out of this list). The time is when the latest version was written.
    /// </summary>
    public async IAsyncEnumerable<StoredSecret> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _client.GetPropertiesOfSecretsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                SecretProperties properties;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    properties = pages.Current;
                }
                catch (Exception e) when (IsVaultFailure(e))
                {
                    throw Unavailable(e);
                }

                if (properties.Name.StartsWith(SecretNames.Prefix, StringComparison.Ordinal)
                    && SecretNames.IsSafe(properties.Name)
                    && string.Equals(properties.ContentType, CredentialContentType, StringComparison.Ordinal)
                    && !properties.Managed
                    && (properties.UpdatedOn ?? properties.CreatedOn) is { } written)
                {
                    yield return new StoredSecret(properties.Name, written);
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    public async Task CheckAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetSecretAsync(HealthProbeName, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Reachable and authorized: the probe secret simply does not exist.
        }
    }

    private string CacheKey(SecretReference reference) =>
        $"byok-secret/{reference.Name}/{reference.Version}/{_generations.GetValueOrDefault(reference.Name)}";

    private async Task<string> LoadAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        try
        {
            // The cache's token: cancelled only when every caller waiting on this read has gone.
            return (await _client.GetSecretAsync(reference.Name, reference.Version, cancellationToken)).Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new SecretNotFoundException();
        }
    }

    /// <summary>
    /// Names and versions go into the request path unescaped: anything but Key Vault's own characters could reach another
    /// secret or another endpoint (<c>../</c>, <c>/</c>, <c>?</c>), and an empty version would read the latest one.
    /// </summary>
    private static void EnsureSafe(string part)
    {
        if (part is null || !SecretNames.IsSafe(part))
        {
            throw new SecretNotFoundException("The secret reference is malformed.");
        }
    }

    private static KeyVaultSecret NewSecret(string name, string value) => new(name, value)
    {
        Properties = { ContentType = CredentialContentType },
    };

    /// <summary>
    /// What the client throws when the vault cannot serve the portal: an error answer left after its retries
    /// (<see cref="RequestFailedException"/>), a network failure on every try (<see cref="AggregateException"/>), or no token for the
    /// identity (<see cref="AuthenticationFailedException"/>). Expected answers (404) are handled before this.
    /// </summary>
    private static bool IsVaultFailure(Exception e) => e is RequestFailedException or AggregateException or AuthenticationFailedException;

    private static SecretStoreUnavailableException Unavailable(Exception e) => new("Azure Key Vault cannot be used.", e);
}
