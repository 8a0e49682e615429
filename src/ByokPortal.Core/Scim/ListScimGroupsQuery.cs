using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

/// <summary>
/// SCIM Groups of the token's enterprise. A group's members get the roles its mappings give (matched by the group's ID or its
/// <c>externalId</c>, which Entra ID fills with the group's object ID) at once, in the same transaction as the membership change.
/// </summary>
public sealed class ListScimGroupsQuery(IPortalDbContextFactory dbFactory)
{
    public async Task<Result<ScimPage<ScimGroup>>> ExecuteAsync(ScimClient client, ScimFilter? filter, int startIndex, int count, bool includeMembers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        startIndex = Math.Max(startIndex, 1);
        count = Math.Clamp(count, 0, ListScimUsersQuery.MaxCount);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var query = db.DirectoryGroups.AsNoTracking().Where(g => g.EnterpriseId == client.EnterpriseId);
        if (filter is not null)
        {
            switch (filter.Attribute.ToLowerInvariant())
            {
                case "displayname":
                    var name = LikePattern.Equal(filter.Value);
                    query = query.Where(g => EF.Functions.Like(g.DisplayName, name, LikePattern.Escape));
                    break;
                case "externalid":
                    query = query.Where(g => g.ExternalId == filter.Value);
                    break;
                case "id":
                    query = Guid.TryParse(filter.Value, out var id) ? query.Where(g => g.Id == id) : query.Where(_ => false);
                    break;
                default:
                    return ValidationError.For("filter", $"Filtering by {filter.Attribute} is not supported; use displayName, externalId or id.");
            }
        }

        var total = await query.CountAsync(cancellationToken);
        var groups = count == 0 ? [] : await query.OrderBy(g => g.DisplayName).Skip(startIndex - 1).Take(count).ToListAsync(cancellationToken);
        var members = includeMembers ? await ScimGroupStore.MembersAsync(db, groups.Select(g => g.Id).ToList(), cancellationToken) : null;
        return new ScimPage<ScimGroup>(total, startIndex, groups.Select(g => ScimGroupStore.ToScim(g, members?[g.Id].ToList() ?? [])).ToList());
    }
}
