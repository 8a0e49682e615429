using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using FluentValidation;

namespace ByokPortal.Core.People;

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
