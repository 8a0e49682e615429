using System.Collections.Concurrent;
using ByokPortal.Core.Secrets;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Runtime.Snapshots;

/// <summary>
/// The credentials the runtime serves, read from the secret store when a snapshot is built (a new version of a credential is a new
/// reference, so it is read once, when the key changes) and kept in memory: no secret-store round trip on the request path.
/// </summary>
public sealed partial class RuntimeSecretCache(ISecretStore store, ILogger<RuntimeSecretCache> logger)
{
    private const int Parallelism = 8;
    private readonly ConcurrentDictionary<SecretReference, string> _values = new();

    /// <summary>Reads the references not in memory yet; a reference the store cannot give is left out (and logged by opaque name).</summary>
    public async Task<IReadOnlyDictionary<SecretReference, string>> LoadAsync(IReadOnlyCollection<SecretReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        var missing = references.Where(r => !_values.ContainsKey(r)).Distinct().ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (reference, ct) =>
        {
            try
            {
                _values[reference] = await store.GetAsync(reference, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogUnavailable(logger, reference.Name, reference.Version, e.GetType().Name);
            }
        });

        var found = new Dictionary<SecretReference, string>();
        foreach (var reference in references)
        {
            if (_values.TryGetValue(reference, out var value))
            {
                found[reference] = value;
            }
        }

        return found;
    }

    /// <summary>Forgets the credentials no snapshot uses any more (deleted keys, replaced versions).</summary>
    public void Retain(IReadOnlySet<SecretReference> inUse)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        foreach (var reference in _values.Keys)
        {
            if (!inUse.Contains(reference))
            {
                _values.TryRemove(reference, out _);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The runtime could not read secret {SecretName} version {SecretVersion} from the secret store ({Error}); its key's models answer 503 until it can.")]
    private static partial void LogUnavailable(ILogger logger, string secretName, string secretVersion, string error);
}
