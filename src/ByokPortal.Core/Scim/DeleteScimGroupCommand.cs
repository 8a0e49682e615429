using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

public sealed class DeleteScimGroupCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(ScimClient client, Guid id, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var group = await db.DirectoryGroups.FirstOrDefaultAsync(g => g.Id == id && g.EnterpriseId == client.EnterpriseId, cancellationToken);
        if (group is null)
        {
            return new NotFoundError($"Group {id} not found.");
        }

        var now = time.GetUtcNow();
        var result = await ScimGroupStore.ChangeMembersAsync(db, client, group, [], [], replace: [], now, new GroupSync(audit, client.ToActor(clientAddress), AuditActions.ScimGroupDelete), cancellationToken);
        db.DirectoryGroups.Remove(group);
        ScimGroupStore.Audit(audit, db, client, clientAddress, AuditActions.ScimGroupDelete, group, new { members = result.Value.Removed, roles = result.Value.RoleChanges });
        await db.SaveChangesAsync(cancellationToken);
        return Done.Value;
    }
}
