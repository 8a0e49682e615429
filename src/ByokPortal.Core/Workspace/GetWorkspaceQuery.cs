using ByokPortal.Core.Data;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Workspace;

public sealed record WorkspaceEnterprise(Guid Id, string Slug, string Name, bool IsOwner);

/// <param name="IsOwner">Owner of the organization, or owner of its enterprise.</param>
/// <param name="IsMember">Has a membership in the organization itself (enterprise owners see others through their enterprise).</param>
public sealed record WorkspaceOrganization(Guid Id, string Slug, string Name, string EnterpriseName, bool IsOwner, bool IsMember);

/// <summary>What the signed-in person sees around every page: their enterprise(s), their organizations and their roles.</summary>
public sealed record Workspace(Guid PersonId, string Email, string DisplayName, IReadOnlyList<WorkspaceEnterprise> Enterprises, IReadOnlyList<WorkspaceOrganization> Organizations)
{
    public WorkspaceEnterprise? PrimaryEnterprise => Enterprises.Count > 0 ? Enterprises[0] : null;

    public bool IsEnterpriseOwner => Enterprises.Any(e => e.IsOwner);
}

/// <summary>
/// Reads the navigation context of a person. Enterprise owners see every organization of the enterprises they own
/// (at most <see cref="OrganizationLimit"/>, the rest through search), others the organizations they belong to. Archived organizations are left out.
/// </summary>
public sealed class GetWorkspaceQuery(IPortalDbContextFactory dbFactory)
{
    public const int OrganizationLimit = 200;

    public async Task<Workspace?> ExecuteAsync(Guid personId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (person is null)
        {
            return null;
        }

        var enterprises = await (
                from m in db.EnterpriseMemberships
                join e in db.Enterprises on m.EnterpriseId equals e.Id
                where m.PersonId == personId
                orderby e.Name
                select new WorkspaceEnterprise(e.Id, e.Slug, e.Name, m.Role == EnterpriseRole.Owner))
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        var ownedEnterpriseIds = enterprises.Where(e => e.IsOwner).Select(e => e.Id).ToList();
        var organizations = await (
                from o in db.Organizations
                join e in db.Enterprises on o.EnterpriseId equals e.Id
                let membership = db.OrganizationMemberships.FirstOrDefault(m => m.OrganizationId == o.Id && m.PersonId == personId)
                where o.ArchivedAt == null && (membership != null || ownedEnterpriseIds.Contains(o.EnterpriseId))
                orderby o.Name
                select new WorkspaceOrganization(
                    o.Id, o.Slug, o.Name, e.Name,
                    ownedEnterpriseIds.Contains(o.EnterpriseId) || (membership != null && membership.Role == OrganizationRole.Owner),
                    membership != null))
            .AsNoTracking()
            .Take(OrganizationLimit)
            .ToListAsync(cancellationToken);

        return new Workspace(person.Id, person.Email, person.DisplayName, enterprises, organizations);
    }
}
