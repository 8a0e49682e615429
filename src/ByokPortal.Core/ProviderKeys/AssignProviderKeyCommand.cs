using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.ProviderKeys;

/// <summary>Changes an organization key's assignment (entire organization, or specific API keys) from the API keys page.</summary>
public sealed class AssignProviderKeyCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string organizationSlug, Guid keyId, bool entireOrganization, IReadOnlyCollection<Guid> apiKeyIds, Guid expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(apiKeyIds);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.ProviderKeyAssign, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var key = await db.ProviderKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrganizationId == owner.OrganizationId, cancellationToken);
        if (key is null)
        {
            return new NotFoundError("This key no longer exists.");
        }

        if (OrganizationKeysPolicy.RefuseChanging(owner) is { } refused)
        {
            return refused;
        }

        db.ExpectVersion(key, expectedVersion);
        var (error, changed) = await ProviderKeyAssignments.ApplyAsync(db, key, owner.OrganizationId!.Value, entireOrganization, apiKeyIds, time.GetUtcNow(), cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (!changed)
        {
            return Done.Value;
        }

        key.UpdatedAt = time.GetUtcNow();
        audit.Record(db, actor, AuditActions.ProviderKeyAssign, owner.Target("provider_key", key.Id.ToString(), key.Name),
            JsonSerializer.Serialize(new { assignment = entireOrganization ? "organization" : "api_keys", apiKeys = apiKeyIds.Count }));
        return await db.TrySaveAsync("This key's assignment", cancellationToken) is { } conflict ? conflict : Done.Value;
    }
}
