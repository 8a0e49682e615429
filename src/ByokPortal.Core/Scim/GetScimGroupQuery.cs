using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

public sealed class GetScimGroupQuery(IPortalDbContextFactory dbFactory)
{
    public async Task<Result<ScimGroup>> ExecuteAsync(ScimClient client, Guid id, bool includeMembers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var group = await db.DirectoryGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id && g.EnterpriseId == client.EnterpriseId, cancellationToken);
        if (group is null)
        {
            return new NotFoundError($"Group {id} not found.");
        }

        var members = includeMembers ? (await ScimGroupStore.MembersAsync(db, [group.Id], cancellationToken))[group.Id].ToList() : [];
        return ScimGroupStore.ToScim(group, members);
    }
}
