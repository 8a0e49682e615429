using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Core.Secrets;

/// <summary>
/// Removes the credentials the secret store holds that no provider key references, once they are older than the grace period: what a
/// crash between the secret write and the database write leaves behind, or a secret whose key was deleted while the store was down.
/// Each removal is logged and audited by the secret's opaque name (never its value), as done by the portal itself.
/// </summary>
public sealed partial class SweepOrphanSecretsCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    AuditTrail audit,
    IOptions<SecretSweepOptions> options,
    TimeProvider time,
    ILogger<SweepOrphanSecretsCommand> logger)
{
    private const int Batch = 200;

    /// <returns>The names of the secrets removed.</returns>
    public async Task<IReadOnlyList<string>> ExecuteAsync(CancellationToken cancellationToken)
    {
        // The store is listed before the references are read: a secret written after the listing is not a candidate, and a listed
        // one older than the grace period could only gain its key row after the read if its save had taken longer than that period.
        var cutoff = time.GetUtcNow() - options.Value.GracePeriod;
        var candidates = new List<string>();
        await foreach (var secret in secrets.ListAsync(cancellationToken))
        {
            if (secret.LastWrittenAt <= cutoff)
            {
                candidates.Add(secret.Name);
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var referenced = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // Key Vault's names are case-insensitive
        foreach (var chunk in candidates.Chunk(Batch))
        {
            var names = chunk.ToList();
            referenced.UnionWith(await db.ProviderKeys
                .Where(k => k.SecretName != null && names.Contains(k.SecretName))
                .Select(k => k.SecretName!)
                .ToListAsync(cancellationToken));
        }

        var removed = new List<string>();
        try
        {
            foreach (var name in candidates.Where(n => !referenced.Contains(n)))
            {
                await secrets.DeleteAsync(name, cancellationToken);
                removed.Add(name);
                LogRemoved(logger, name);
            }
        }
        finally
        {
            // What was removed before a failure is audited too.
            if (removed.Count > 0)
            {
                await RecordAsync(db, removed, CancellationToken.None);
            }
        }

        return removed;
    }

    /// <summary>
    /// An orphaned secret belongs to no key any more, so to no known enterprise: each enterprise's audit log records the removal
    /// (opaque names only), one event per secret.
    /// </summary>
    private async Task RecordAsync(IPortalDbContext db, List<string> removed, CancellationToken cancellationToken)
    {
        var enterprises = await db.Enterprises.Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var enterpriseId in enterprises)
        {
            foreach (var name in removed)
            {
                audit.Record(db, Actor.System, AuditActions.SecretOrphanRemove, new AuditTarget("secret", name, null, enterpriseId),
                    JsonSerializer.Serialize(new { reason = "referenced by no key", gracePeriod = options.Value.GracePeriod.ToString() }));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed secret {SecretName} from the secret store: no key references it.")]
    private static partial void LogRemoved(ILogger logger, string secretName);
}
