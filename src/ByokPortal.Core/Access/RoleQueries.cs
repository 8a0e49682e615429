using ByokPortal.Core.Data;
using ByokPortal.Core.Organizations;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Access;

/// <summary>What a person may do in one organization.</summary>
public enum OrganizationAccess
{
    None = 0,
    Member = 1,

    /// <summary>Owner of the organization, or owner of its enterprise (who may manage every organization).</summary>
    Owner = 2,
}

/// <summary>
/// Role checks, always read from the database at the moment they are needed: page policies and every mutating use case call these,
/// so a role removed a second ago is already gone, whatever the browser's circuit saw when it started. A disabled person
/// (<see cref="Person.DisabledAt"/>) holds no role at all.
/// </summary>
public static class RoleQueries
{
    public static Task<bool> IsEnterpriseOwnerAsync(this IPortalDbContext db, Guid personId, Guid enterpriseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EnterpriseMemberships.AnyAsync(
            m => m.PersonId == personId && m.EnterpriseId == enterpriseId && m.Role == EnterpriseRole.Owner
                 && db.People.Any(p => p.Id == m.PersonId && p.DisabledAt == null),
            cancellationToken);
    }

    public static async Task<OrganizationAccess> GetOrganizationAccessAsync(this IPortalDbContext db, Guid personId, Organization organization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        if (organization.IsArchived)
        {
            // An archived organization is out of use for everyone, its enterprise's owners included (they restore it from the
            // enterprise's Organizations page).
            return OrganizationAccess.None;
        }

        if (await db.IsEnterpriseOwnerAsync(personId, organization.EnterpriseId, cancellationToken))
        {
            return OrganizationAccess.Owner;
        }

        var role = await db.OrganizationMemberships
            .Where(m => m.PersonId == personId && m.OrganizationId == organization.Id && db.People.Any(p => p.Id == m.PersonId && p.DisabledAt == null))
            .Select(m => (OrganizationRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        return role switch
        {
            OrganizationRole.Owner => OrganizationAccess.Owner,
            OrganizationRole.Member => OrganizationAccess.Member,
            _ => OrganizationAccess.None,
        };
    }

    /// <summary>The enterprise named in a route, if the person owns it.</summary>
    public static Task<bool> IsEnterpriseOwnerBySlugAsync(this IPortalDbContext db, Guid personId, string enterpriseSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EnterpriseMemberships.AnyAsync(
            m => m.PersonId == personId && m.Role == EnterpriseRole.Owner &&
                 db.Enterprises.Any(e => e.Id == m.EnterpriseId && e.Slug == enterpriseSlug) &&
                 db.People.Any(p => p.Id == m.PersonId && p.DisabledAt == null),
            cancellationToken);
    }

    /// <summary>Owner of at least one enterprise (e.g. to read the health checks' details).</summary>
    public static Task<bool> IsEnterpriseOwnerOfAnyAsync(this IPortalDbContext db, Guid personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.EnterpriseMemberships.AnyAsync(
            m => m.PersonId == personId && m.Role == EnterpriseRole.Owner && db.People.Any(p => p.Id == m.PersonId && p.DisabledAt == null),
            cancellationToken);
    }

    /// <summary>
    /// The enterprise a person's own audit events (sign-in, sign-out) are filed under: the one they own, else one they belong to,
    /// else the enterprise of an organization they belong to.
    /// </summary>
    public static async Task<Guid?> PrimaryEnterpriseOfAsync(this IPortalDbContext db, Guid personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.EnterpriseMemberships
                   .Where(m => m.PersonId == personId)
                   .OrderByDescending(m => m.Role)
                   .Select(m => (Guid?)m.EnterpriseId)
                   .FirstOrDefaultAsync(cancellationToken)
               ?? await (from m in db.OrganizationMemberships
                         join o in db.Organizations on m.OrganizationId equals o.Id
                         where m.PersonId == personId
                         select (Guid?)o.EnterpriseId)
                   .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The person's access to the organization named in a route; <see cref="OrganizationAccess.None"/> when it does not exist.</summary>
    public static async Task<OrganizationAccess> GetOrganizationAccessBySlugAsync(this IPortalDbContext db, Guid personId, string organizationSlug, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == organizationSlug, cancellationToken);
        return organization is null ? OrganizationAccess.None : await db.GetOrganizationAccessAsync(personId, organization, cancellationToken);
    }
}
