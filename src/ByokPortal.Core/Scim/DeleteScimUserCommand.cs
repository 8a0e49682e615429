using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

public sealed class DeleteScimUserCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(ScimClient client, Guid id, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id && db.EnterpriseMemberships.Any(m => m.PersonId == p.Id && m.EnterpriseId == client.EnterpriseId), cancellationToken);
        if (person is null)
        {
            return new NotFoundError($"User {id} not found.");
        }

        if (person.DisabledAt is null && await EnterpriseOwners.IsLastActiveOwnerAsync(db, client.EnterpriseId, person.Id, cancellationToken))
        {
            await EnterpriseOwners.RecordRefusedAsync(audit, db, client.ToActor(clientAddress), client.EnterpriseId, person, AuditActions.ScimUserDelete, cancellationToken);
            return EnterpriseOwners.Refusal(person.Email);
        }

        var now = time.GetUtcNow();
        person.DisabledAt ??= now;
        person.ScimExternalId = null;
        var changes = await ScimUserStore.RemoveHandRolesAsync(db, client.EnterpriseId, person.Id, cancellationToken);
        db.DirectoryGroupMembers.RemoveRange(await db.DirectoryGroupMembers
            .Where(m => m.PersonId == person.Id && db.DirectoryGroups.Any(g => g.Id == m.GroupId && g.EnterpriseId == client.EnterpriseId))
            .ToListAsync(cancellationToken));
        changes.AddRange((await GroupRoles.ApplyAsync(db, client.EnterpriseId, [person.Id], now, new GroupSync(audit, client.ToActor(clientAddress), AuditActions.ScimUserDelete), cancellationToken)).Select(c => c.Change));
        var membership = await RoleAssignments.EnterpriseMembershipAsync(db, client.EnterpriseId, person.Id, create: false, now, cancellationToken);
        if (membership is not null && db.Entry(membership).State != EntityState.Deleted)
        {
            db.EnterpriseMemberships.Remove(membership);
        }

        ScimUserStore.Audit(audit, db, client, clientAddress, AuditActions.ScimUserDelete, person, new { roles = changes });
        await db.SaveChangesAsync(cancellationToken);
        return Done.Value;
    }
}
