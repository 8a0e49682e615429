using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

public sealed class CreateScimUserCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<ScimUser>> ExecuteAsync(ScimClient client, ScimUserInput input, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);
        if (ScimRules.CheckUser(input.UserName ?? "", input.ExternalId, input.DisplayName) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var userName = Person.NormalizeEmail(input.UserName!);
        var now = time.GetUtcNow();
        var person = await db.People.FirstOrDefaultAsync(p => p.Email == userName, cancellationToken);
        if (person is not null && await db.EnterpriseMemberships.AnyAsync(m => m.EnterpriseId == client.EnterpriseId && m.PersonId == person.Id, cancellationToken))
        {
            return new ScimUniquenessError($"A user with userName {userName} already exists.");
        }

        if (person is null)
        {
            person = new Person { Email = userName, DisplayName = DisplayNameOf(input.DisplayName, userName), CreatedAt = now };
            db.People.Add(person);
        }
        else if (!string.IsNullOrWhiteSpace(input.DisplayName))
        {
            person.DisplayName = input.DisplayName.Trim();
        }

        person.ScimExternalId = input.ExternalId;
        person.DisabledAt = input.Active ? null : now;
        db.EnterpriseMemberships.Add(new EnterpriseMembership { EnterpriseId = client.EnterpriseId, PersonId = person.Id, Role = EnterpriseRole.Member, Provisioned = true, CreatedAt = now });
        var changes = await GroupRoles.ApplyAsync(db, client.EnterpriseId, [person.Id], now, new GroupSync(audit, client.ToActor(clientAddress), AuditActions.ScimUserCreate), cancellationToken);
        ScimUserStore.Audit(audit, db, client, clientAddress, AuditActions.ScimUserCreate, person, new { externalId = input.ExternalId, active = input.Active, roles = changes.Select(c => c.Change) });
        if (await ScimUserStore.TrySaveAsync(db, userName, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return ScimUserStore.ToScim(person);
    }

    internal static string DisplayNameOf(string? displayName, string userName) =>
        string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim();
}
