using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>
/// "Test credentials" on a saved key: calls the provider with the stored credential and records the result on the key (runtime
/// resolution refuses a key whose credential is known to be invalid, and never falls back to another key).
/// </summary>
public sealed class TestProviderKeyCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, CredentialCheck check)
{
    public async Task<Result<CredentialTestResult>> ExecuteAsync(Actor actor, KeyScope scope, Guid keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var found = await scopes.ResolveKeyAsync(db, actor, scope, keyId, AuditActions.ProviderKeyTest, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (owner, key) = found.Value;
        if (OrganizationKeysPolicy.RefuseChanging(owner) is { } refused)
        {
            return refused;
        }

        var result = await check.RunAsync(key, cancellationToken);
        check.Record(db, actor, key, result, AuditActions.ProviderKeyTest);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }
}
