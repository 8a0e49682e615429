using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// Deletes a key with its models, their access grants and organization settings (database cascades), and its audit event, in one
/// transaction; then deletes the credential (every version) from the secret store — Key Vault keeps it soft-deleted for its retention. A secret-store failure after the commit is logged, not shown:
/// the key is already gone and the orphaned secret is unreachable by reference.
/// </summary>
public sealed partial class DeleteProviderKeyCommand(
    IPortalDbContextFactory dbFactory,
    ISecretStore secrets,
    OwnerScopes scopes,
    AuditTrail audit,
    ILogger<DeleteProviderKeyCommand> logger)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var found = await scopes.ResolveKeyAsync(db, actor, scope, keyId, AuditActions.ProviderKeyDelete, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (owner, key) = found.Value;

        var models = await db.CustomModels.Where(m => m.ProviderKeyId == key.Id).Select(m => m.ModelId).ToListAsync(cancellationToken);
        var modelRowIds = await db.CustomModels.Where(m => m.ProviderKeyId == key.Id).Select(m => m.Id).ToListAsync(cancellationToken);
        var grants = await db.ModelAccessGrants.CountAsync(g => modelRowIds.Contains(g.CustomModelId), cancellationToken);
        var apiKeysAssigned = await db.ProviderKeyAssignments.CountAsync(a => a.ProviderKeyId == key.Id, cancellationToken);
        db.ProviderKeys.Remove(key);
        audit.Record(db, actor, AuditActions.ProviderKeyDelete, owner.Target("provider_key", key.Id.ToString(), key.Name),
            JsonSerializer.Serialize(new { provider = key.Provider.ToString(), modelsRemoved = models, accessGrantsRemoved = grants, apiKeyAssignmentsRemoved = apiKeysAssigned, secretVersion = key.SecretVersion }));
        await db.SaveChangesAsync(cancellationToken);

        if (key.SecretName is { } secretName)
        {
            try
            {
                await secrets.DeleteAsync(secretName, CancellationToken.None);
            }
#pragma warning disable CA1031 // the key is deleted; the orphaned secret is reported for clean-up, not to the owner
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSecretNotDeleted(logger, key.Id, e);
            }
        }

        return Done.Value;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider key {KeyId} was deleted but its secret could not be deleted from the secret store.")]
    private static partial void LogSecretNotDeleted(ILogger logger, Guid keyId, Exception exception);
}
