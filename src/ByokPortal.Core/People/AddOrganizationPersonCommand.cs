using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using FluentValidation;

namespace ByokPortal.Core.People;

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
