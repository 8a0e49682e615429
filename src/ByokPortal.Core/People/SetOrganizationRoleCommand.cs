using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// Changes (or, with null, removes) a person's hand-given role in one organization (its owners and the enterprise's owners). Its last owner
/// stays unless an enterprise owner confirms; another organization's people answer not found.
/// </summary>
public sealed class SetOrganizationRoleCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<PersonSaved>> ExecuteAsync(Actor actor, string organizationSlug, Guid personId, OrganizationRole? role, bool confirmLastOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (role is { } value && !Enum.IsDefined(value))
        {
            return ValidationError.For("Role", "Choose Owner or Member.");
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.PersonRolesUpdate, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var organizationId = owner.OrganizationId!.Value;
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == personId && db.OrganizationMemberships.Any(m => m.PersonId == p.Id && m.OrganizationId == organizationId), cancellationToken);
        if (person is null)
        {
            return new NotFoundError("This person is no longer in the organization.");
        }

        var changes = new List<string>();
        var error = await PersonRoleChanges.SetOrganizationRolesAsync(db, owner.EnterpriseId, person, [new OrganizationRoleChange(organizationId, role)],
            await db.IsEnterpriseOwnerAsync(actor.PersonId, owner.EnterpriseId, cancellationToken), confirmLastOwner, changes, time.GetUtcNow(), cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (changes.Count > 0)
        {
            audit.Record(db, actor, role is null ? AuditActions.PersonRemove : AuditActions.PersonRolesUpdate,
                owner.Target("person", person.Id.ToString(), person.Email), JsonSerializer.Serialize(new { roles = changes }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return new PersonSaved(person.Id, person.Email, changes);
    }
}
