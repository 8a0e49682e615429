using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

/// <summary>
/// SCIM Users of the token's enterprise (RFC 7644 §3): everyone with a place in the enterprise. Every change is one transaction with its
/// audit event, done by the SCIM token. A deactivated user (<c>active=false</c>) loses every role at once and cannot sign in;
/// reactivated, the roles their groups give come back (roles given by hand do not). DELETE removes them from the enterprise. The
/// enterprise's last active owner can be neither deactivated nor deleted (<see cref="EnterpriseOwners"/>): the request is refused whole.
/// </summary>
public sealed class ListScimUsersQuery(IPortalDbContextFactory dbFactory)
{
    public const int MaxCount = 200;

    public async Task<Result<ScimPage<ScimUser>>> ExecuteAsync(ScimClient client, ScimFilter? filter, int startIndex, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        startIndex = Math.Max(startIndex, 1);
        count = Math.Clamp(count, 0, MaxCount);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var query = ScimUserStore.Users(db, client.EnterpriseId);
        if (filter is not null)
        {
            switch (filter.Attribute.ToLowerInvariant())
            {
                case "username":
                    var userName = Person.NormalizeEmail(filter.Value);
                    query = query.Where(r => r.Person.Email == userName);
                    break;
                case "externalid":
                    query = query.Where(r => r.Person.ScimExternalId == filter.Value);
                    break;
                case "id":
                    query = Guid.TryParse(filter.Value, out var id) ? query.Where(r => r.Person.Id == id) : query.Where(_ => false);
                    break;
                default:
                    return ValidationError.For("filter", $"Filtering by {filter.Attribute} is not supported; use userName, externalId or id.");
            }
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = count == 0 ? [] : await query.OrderBy(r => r.Person.Email).Skip(startIndex - 1).Take(count).ToListAsync(cancellationToken);
        return new ScimPage<ScimUser>(total, startIndex, rows.Select(r => ScimUserStore.ToScim(r.Person)).ToList());
    }
}
