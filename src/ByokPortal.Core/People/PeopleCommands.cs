using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

public sealed record PersonSaved(Guid PersonId, string Email, IReadOnlyList<string> Changes);

/// <summary>
/// "Add person" (enterprise owners): finds the person by e-mail address (Entra ID: the sign-in name) or creates them, and gives the chosen
/// roles by hand. They can sign in at once (demo sign-in lists them; with Entra ID their first sign-in links their account).
/// </summary>
public sealed class AddPersonCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<AddPersonInput> validator, TimeProvider time)
{
    public async Task<Result<PersonSaved>> ExecuteAsync(Actor actor, string enterpriseSlug, AddPersonInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.PersonAdd, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var now = time.GetUtcNow();
        var person = await PersonLookup.FindOrCreateAsync(db, input.Email, input.DisplayName, now, cancellationToken);
        if (person.DisabledAt is not null)
        {
            return ValidationError.For(nameof(AddPersonInput.Email), $"{person.Email} was deactivated by your directory. Reactivate them there first.");
        }

        var changes = new List<string>();
        var error = await PersonRoleChanges.SetEnterpriseOwnerAsync(db, enterpriseId, person, input.EnterpriseOwner ? true : null, changes, now, cancellationToken)
                    ?? await PersonRoleChanges.SetOrganizationRolesAsync(db, enterpriseId, person, input.Organizations, actorIsEnterpriseOwner: true, confirmLastOwner: false, changes, now, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        audit.Record(db, actor, AuditActions.PersonAdd, new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId, PersonRoleChanges.SingleOrganization(input.Organizations)),
            JsonSerializer.Serialize(new { roles = changes }));
        await db.SaveChangesAsync(cancellationToken);
        return new PersonSaved(person.Id, person.Email, changes);
    }

}

/// <summary>Changes a person's hand-given roles in the enterprise (enterprise owners). Roles from groups stay; the last owners are kept.</summary>
public sealed class UpdatePersonRolesCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<UpdatePersonRolesInput> validator, TimeProvider time)
{
    public async Task<Result<PersonSaved>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid personId, UpdatePersonRolesInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.PersonRolesUpdate, cancellationToken);
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

        if (person.DisabledAt is not null && (input.EnterpriseOwner || input.Organizations.Any(o => o.Role is not null)))
        {
            return ValidationError.For("Roles", $"{person.Email} was deactivated by your directory. Reactivate them there first.");
        }

        var now = time.GetUtcNow();
        var changes = new List<string>();
        var error = await PersonRoleChanges.SetEnterpriseOwnerAsync(db, enterpriseId, person, input.EnterpriseOwner, changes, now, cancellationToken)
                    ?? await PersonRoleChanges.SetOrganizationRolesAsync(db, enterpriseId, person, input.Organizations, actorIsEnterpriseOwner: true, input.ConfirmLastOrganizationOwner, changes, now, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (changes.Count > 0)
        {
            audit.Record(db, actor, AuditActions.PersonRolesUpdate,
                new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId, PersonRoleChanges.SingleOrganization(input.Organizations)),
                JsonSerializer.Serialize(new { roles = changes }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return new PersonSaved(person.Id, person.Email, changes);
    }
}

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

/// <summary>An organization's "Add person" (its owners and the enterprise's owners): by e-mail address, as owner or member.</summary>
public sealed class AddOrganizationPersonCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<AddOrganizationPersonInput> validator, TimeProvider time)
{
    public async Task<Result<PersonSaved>> ExecuteAsync(Actor actor, string organizationSlug, AddOrganizationPersonInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.PersonAdd, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var owner = resolved.Value;
        var now = time.GetUtcNow();
        var person = await PersonLookup.FindOrCreateAsync(db, input.Email, null, now, cancellationToken);
        if (person.DisabledAt is not null)
        {
            return ValidationError.For(nameof(AddOrganizationPersonInput.Email), $"{person.Email} was deactivated by your directory. Reactivate them there first.");
        }

        var changes = new List<string>();
        var error = await PersonRoleChanges.SetOrganizationRolesAsync(db, owner.EnterpriseId, person, [new OrganizationRoleChange(owner.OrganizationId!.Value, input.Role)],
            await db.IsEnterpriseOwnerAsync(actor.PersonId, owner.EnterpriseId, cancellationToken), confirmLastOwner: false, changes, now, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        audit.Record(db, actor, AuditActions.PersonAdd, owner.Target("person", person.Id.ToString(), person.Email), JsonSerializer.Serialize(new { roles = changes }));
        await db.SaveChangesAsync(cancellationToken);
        return new PersonSaved(person.Id, person.Email, changes);
    }
}

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

internal static class PersonLookup
{
    public static async Task<Person> FindOrCreateAsync(IPortalDbContext db, string email, string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var normalized = Person.NormalizeEmail(email);
        var person = await db.People.FirstOrDefaultAsync(p => p.Email == normalized, cancellationToken);
        if (person is null)
        {
            person = new Person
            {
                Email = normalized,
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? normalized : displayName.Trim(),
                CreatedAt = now,
            };
            db.People.Add(person);
        }

        return person;
    }

    public static Task<Person?> InEnterpriseAsync(IPortalDbContext db, Guid enterpriseId, Guid personId, CancellationToken cancellationToken) =>
        db.People.FirstOrDefaultAsync(p => p.Id == personId && db.EnterpriseMemberships.Any(m => m.PersonId == p.Id && m.EnterpriseId == enterpriseId), cancellationToken);
}
