using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Organizations;

/// <summary>
/// Archives an organization (enterprise owners): from the next request on its people have no access to it, its API keys are refused
/// and no model is available to it. Its keys, models, grants, API keys and people's roles are kept for a restore.
/// </summary>
public sealed class ArchiveOrganizationCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public Task<Result<Done>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid organizationId, CancellationToken cancellationToken) =>
        OrganizationArchiving.SetAsync(dbFactory, scopes, audit, actor, enterpriseSlug, organizationId, time.GetUtcNow(), cancellationToken);
}

/// <summary>Restores an archived organization: its people, API keys and models work again as they were.</summary>
public sealed class RestoreOrganizationCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit)
{
    public Task<Result<Done>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid organizationId, CancellationToken cancellationToken) =>
        OrganizationArchiving.SetAsync(dbFactory, scopes, audit, actor, enterpriseSlug, organizationId, null, cancellationToken);
}

internal static class OrganizationArchiving
{
    public static async Task<Result<Done>> SetAsync(
        IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, Actor actor, string enterpriseSlug, Guid organizationId,
        DateTimeOffset? archivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var action = archivedAt is null ? AuditActions.OrganizationRestore : AuditActions.OrganizationArchive;
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), action, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId && o.EnterpriseId == resolved.Value.EnterpriseId, cancellationToken);
        if (organization is null)
        {
            return new NotFoundError("This organization no longer exists.");
        }

        if (organization.IsArchived == archivedAt is not null)
        {
            return Done.Value;
        }

        organization.ArchivedAt = archivedAt;
        audit.Record(db, actor, action, new AuditTarget("organization", organization.Id.ToString(), organization.Slug, organization.EnterpriseId, organization.Id));
        return await db.TrySaveAsync("This organization", cancellationToken) is { } conflict ? conflict : Done.Value;
    }
}
