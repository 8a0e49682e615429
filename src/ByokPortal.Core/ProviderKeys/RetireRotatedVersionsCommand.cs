using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// Disables the previous credential version of every key whose rotation grace period has passed (Key Vault cannot delete one version:
/// it is disabled, so nobody can read it again), forgets it on the key and audits it, by version ID only.
/// </summary>
public sealed partial class RetireRotatedVersionsCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    AuditTrail audit,
    TimeProvider time,
    ILogger<RetireRotatedVersionsCommand> logger)
{
    /// <returns>How many versions were retired.</returns>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var keys = (await db.ProviderKeys.Where(k => k.PreviousSecretVersion != null).ToListAsync(cancellationToken))
            .Where(k => k.PreviousSecretRetiresAt <= now)
            .ToList();
        var retired = 0;
        foreach (var key in keys)
        {
            try
            {
                await secrets.DeleteVersionAsync(new SecretReference(key.SecretName!, key.PreviousSecretVersion!), cancellationToken);
            }
            catch (SecretStoreUnavailableException e)
            {
                LogNotRetired(logger, key.Id, e);
                continue;
            }

            audit.Record(db, Actor.System, AuditActions.ProviderKeyVersionRetire, new AuditTarget("provider_key", key.Id.ToString(), key.Name, key.EnterpriseId, key.OrganizationId),
                JsonSerializer.Serialize(new { retiredVersion = key.PreviousSecretVersion, currentVersion = key.SecretVersion }));
            key.PreviousSecretVersion = null;
            key.PreviousSecretRetiresAt = null;
            retired++;
        }

        if (retired > 0 && await db.TrySaveAsync("This key", cancellationToken) is not null)
        {
            // A key edited meanwhile keeps its columns until the next round; its version is already disabled, which is what matters.
            return 0;
        }

        return retired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The previous credential version of provider key {KeyId} could not be disabled now; the next round tries again.")]
    private static partial void LogNotRetired(ILogger logger, Guid keyId, Exception exception);
}
