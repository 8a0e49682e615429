using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// Removes a person from the enterprise (enterprise owners): every hand-given role goes, in the enterprise and its organizations. Roles
/// from groups stay while the directory gives them. The enterprise's last owner cannot be removed; an organization's last owner only
/// with <paramref name="confirmLastOrganizationOwner"/>.
/// </summary>
public sealed class RemovePersonCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<PersonSaved>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid personId, bool confirmLastOrganizationOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.PersonRemove, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var person = await PersonLookup.InEnterpriseAsync(db, enterpriseId, personId, cancellationToken);
        if (person is null)
        {
            return new NotFoundError("This person is no longer in the enterprise.");
        }

        var organizationIds = await db.OrganizationMemberships
            .Where(m => m.PersonId == person.Id && db.Organizations.Any(o => o.Id == m.OrganizationId && o.EnterpriseId == enterpriseId))
            .Select(m => m.OrganizationId)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var changes = new List<string>();
        var error = await PersonRoleChanges.SetEnterpriseOwnerAsync(db, enterpriseId, person, wanted: false, changes, now, cancellationToken)
                    ?? await PersonRoleChanges.SetOrganizationRolesAsync(db, enterpriseId, person, organizationIds.Select(id => new OrganizationRoleChange(id, null)).ToList(),
                        actorIsEnterpriseOwner: true, confirmLastOrganizationOwner, changes, now, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var membership = await RoleAssignments.EnterpriseMembershipAsync(db, enterpriseId, person.Id, create: false, now, cancellationToken);
        if (membership is not null && db.Entry(membership).State != EntityState.Deleted)
        {
            RoleAssignments.MakeSourcesExplicit(membership);
            RoleAssignments.SetHandRole(db, membership, null);
        }

        audit.Record(db, actor, AuditActions.PersonRemove, new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId),
            JsonSerializer.Serialize(new { roles = changes }));
        await db.SaveChangesAsync(cancellationToken);
        return new PersonSaved(person.Id, person.Email, changes);
    }
}
