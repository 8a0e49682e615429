using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

public sealed class GetScimUserQuery(IPortalDbContextFactory dbFactory)
{
    public async Task<Result<ScimUser>> ExecuteAsync(ScimClient client, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var row = await ScimUserStore.Users(db, client.EnterpriseId).FirstOrDefaultAsync(r => r.Person.Id == id, cancellationToken);
        return row is null ? new NotFoundError($"User {id} not found.") : ScimUserStore.ToScim(row.Person);
    }
}
