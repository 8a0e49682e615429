using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Access;

/// <summary>
/// The server-side check every key and model use case starts with: is the actor, right now, an owner of this scope?
/// Enterprise scope: enterprise owners. Organization scope: its owners and its enterprise's owners. Someone who cannot even
/// see the scope gets <see cref="NotFoundError"/>; a member who can see it but not manage it gets <see cref="ForbiddenError"/>.
/// Refusals on an existing scope are recorded in the audit log.
/// </summary>
public sealed class OwnerScopes(AuditTrail audit)
{
    public async Task<Result<ResolvedScope>> ResolveAsync(IPortalDbContext db, Actor actor, KeyScope scope, string attemptedAction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        if (scope.IsEnterprise)
        {
            var enterprise = await db.Enterprises.AsNoTracking().FirstOrDefaultAsync(e => e.Slug == scope.Slug, cancellationToken);
            if (enterprise is null)
            {
                return new NotFoundError();
            }

            if (!await db.IsEnterpriseOwnerAsync(actor.PersonId, enterprise.Id, cancellationToken))
            {
                await audit.RecordDeniedAsync(db, actor, attemptedAction, new AuditTarget("enterprise", enterprise.Id.ToString(), enterprise.Slug, enterprise.Id), cancellationToken);
                return new NotFoundError();
            }

            return new ResolvedScope(scope, enterprise.Id, enterprise.Name, null, enterprise.Name, enterprise.AllowOrganizationKeys);
        }

        var found = await (
                from o in db.Organizations
                join e in db.Enterprises on o.EnterpriseId equals e.Id
                where o.Slug == scope.Slug
                select new { Organization = o, e.Name, e.AllowOrganizationKeys })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new NotFoundError();
        }

        var access = await db.GetOrganizationAccessAsync(actor.PersonId, found.Organization, cancellationToken);
        if (access != OrganizationAccess.Owner)
        {
            await audit.RecordDeniedAsync(db, actor, attemptedAction,
                new AuditTarget("organization", found.Organization.Id.ToString(), found.Organization.Slug, found.Organization.EnterpriseId, found.Organization.Id), cancellationToken);
            return access == OrganizationAccess.Member
                ? new ForbiddenError("Only owners of this organization can do this.")
                : new NotFoundError();
        }

        return new ResolvedScope(scope, found.Organization.EnterpriseId, found.Name, found.Organization.Id, found.Organization.Name, found.AllowOrganizationKeys);
    }

    /// <summary>
    /// The preamble of every use case on one saved key: the scope as above, then the key of that scope (tracked, so the use case can
    /// change it), or "This API key no longer exists." for a missing key or another scope's key alike.
    /// </summary>
    public async Task<Result<OwnedKey>> ResolveKeyAsync(IPortalDbContext db, Actor actor, KeyScope scope, Guid keyId, string attemptedAction, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(db, actor, scope, attemptedAction, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var key = await db.ProviderKeys.FindInScopeAsync(resolved.Value, keyId, cancellationToken);
        return key is null ? new NotFoundError(KeyNotFound) : new OwnedKey(resolved.Value, key);
    }

    public const string KeyNotFound = "This API key no longer exists.";
}

/// <summary>A saved key and the scope it was found in, for the actor who owns that scope.</summary>
public sealed record OwnedKey(ResolvedScope Owner, ProviderKey Key);
