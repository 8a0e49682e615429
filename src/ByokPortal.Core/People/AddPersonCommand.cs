using System.Text.Json;
using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using FluentValidation;

namespace ByokPortal.Core.People;

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
