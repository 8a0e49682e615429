using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

public sealed record DemoPerson(string Email, string DisplayName, string RoleSummary);

/// <summary>The people demo sign-in offers, each with a one-line summary of their roles. Only the demo sign-in page calls this.</summary>
public sealed class ListDemoPeopleQuery(IPortalDbContextFactory dbFactory)
{
    public const int Limit = 50;

    public async Task<IReadOnlyList<DemoPerson>> ExecuteAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var people = await db.People.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Email).Take(Limit).ToListAsync(cancellationToken);
        var ids = people.Select(p => p.Id).ToList();
        var enterpriseRoles = await (
                from m in db.EnterpriseMemberships
                join e in db.Enterprises on m.EnterpriseId equals e.Id
                where ids.Contains(m.PersonId) && m.Role == EnterpriseRole.Owner
                select new { m.PersonId, e.Name })
            .ToListAsync(cancellationToken);
        var organizationRoles = await (
                from m in db.OrganizationMemberships
                join o in db.Organizations on m.OrganizationId equals o.Id
                where ids.Contains(m.PersonId)
                select new { m.PersonId, o.Slug, m.Role })
            .ToListAsync(cancellationToken);

        return people.Select(p =>
        {
            var roles = enterpriseRoles.Where(r => r.PersonId == p.Id).Select(r => $"enterprise owner of {r.Name}")
                .Concat(organizationRoles.Where(r => r.PersonId == p.Id)
                    .Select(r => r.Role == OrganizationRole.Owner ? $"owner of {r.Slug}" : $"member of {r.Slug}"))
                .ToList();
            return new DemoPerson(p.Email, p.DisplayName, roles.Count == 0 ? "no roles yet" : string.Join(", ", roles));
        }).ToList();
    }
}
