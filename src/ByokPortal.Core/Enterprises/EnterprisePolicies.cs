using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Enterprises;

public sealed record EnterprisePolicies(string EnterpriseName, bool AllowOrganizationKeys, Guid Version);

/// <summary>The enterprise's policies page, for its owners.</summary>
public sealed class GetEnterprisePoliciesQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<EnterprisePolicies>> ExecuteAsync(Actor actor, string enterpriseSlug, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterprise = await db.Enterprises.AsNoTracking().SingleAsync(e => e.Id == resolved.Value.EnterpriseId, cancellationToken);
        return new EnterprisePolicies(enterprise.Name, enterprise.AllowOrganizationKeys, enterprise.Version);
    }
}

/// <summary>
/// "Allow organizations to add their own API keys". Turned off, organizations cannot add keys (refused on the server) and their existing
/// keys stop serving models until it is turned on again; nothing is deleted.
/// </summary>
public sealed class SaveEnterprisePoliciesCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit)
{
    public async Task<Result<EnterprisePolicies>> ExecuteAsync(Actor actor, string enterpriseSlug, bool allowOrganizationKeys, Guid expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.EnterprisePolicyUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterprise = await db.Enterprises.SingleAsync(e => e.Id == resolved.Value.EnterpriseId, cancellationToken);
        db.ExpectVersion(enterprise, expectedVersion);
        if (enterprise.AllowOrganizationKeys != allowOrganizationKeys)
        {
            enterprise.AllowOrganizationKeys = allowOrganizationKeys;
            audit.Record(db, actor, AuditActions.EnterprisePolicyUpdate, resolved.Value.Target("enterprise", enterprise.Id.ToString(), enterprise.Slug),
                JsonSerializer.Serialize(new { allowOrganizationKeys }));
        }

        if (await db.TrySaveAsync("The enterprise's policies", cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return new EnterprisePolicies(enterprise.Name, enterprise.AllowOrganizationKeys, enterprise.Version);
    }
}
