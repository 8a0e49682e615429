using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// Writes roles with their source. A membership keeps the role given by hand and the role that comes from groups apart, and its
/// <c>Role</c> (what access checks read) is the higher of the two; a membership with neither is removed. Rows written before sources
/// were tracked (both null) count as given by hand. Every method works on tracked entities: the caller saves once, with its audit event.
/// </summary>
public static class RoleAssignments
{
    public static EnterpriseRole? HandRole(EnterpriseMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        return membership.HandRole ?? (membership.GroupRole is null && !membership.Provisioned ? membership.Role : null);
    }

    public static OrganizationRole? HandRole(OrganizationMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        return membership.HandRole ?? (membership.GroupRole is null ? membership.Role : null);
    }

    /// <summary>The person's enterprise membership (tracked), created when missing and <paramref name="create"/> is set.</summary>
    public static async Task<EnterpriseMembership?> EnterpriseMembershipAsync(IPortalDbContext db, Guid enterpriseId, Guid personId, bool create, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var membership = db.EnterpriseMemberships.Local.FirstOrDefault(m => m.EnterpriseId == enterpriseId && m.PersonId == personId)
                         ?? await db.EnterpriseMemberships.FirstOrDefaultAsync(m => m.EnterpriseId == enterpriseId && m.PersonId == personId, cancellationToken);
        if (membership is null && create)
        {
            membership = new EnterpriseMembership { EnterpriseId = enterpriseId, PersonId = personId, Role = EnterpriseRole.Member, CreatedAt = now };
            db.EnterpriseMemberships.Add(membership);
        }

        return membership;
    }

    /// <summary>Sets the hand-given enterprise role (Member: added without an enterprise role; null: not added by hand).</summary>
    public static void SetHandRole(IPortalDbContext db, EnterpriseMembership membership, EnterpriseRole? role)
    {
        ArgumentNullException.ThrowIfNull(membership);
        membership.HandRole = role;
        Normalize(db, membership);
    }

    /// <summary>Sets the hand-given role in an organization (null removes it); adds the enterprise membership the person then needs.</summary>
    public static async Task SetHandRoleAsync(IPortalDbContext db, Guid enterpriseId, Guid organizationId, Guid personId, OrganizationRole? role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var membership = db.OrganizationMemberships.Local.FirstOrDefault(m => m.OrganizationId == organizationId && m.PersonId == personId)
                         ?? await db.OrganizationMemberships.FirstOrDefaultAsync(m => m.OrganizationId == organizationId && m.PersonId == personId, cancellationToken);
        if (membership is null)
        {
            if (role is null)
            {
                return;
            }

            membership = new OrganizationMembership { OrganizationId = organizationId, PersonId = personId, Role = role.Value, CreatedAt = now };
            db.OrganizationMemberships.Add(membership);
        }

        membership.HandRole = role;
        Normalize(db, membership);
        if (role is not null)
        {
            var enterprise = await EnterpriseMembershipAsync(db, enterpriseId, personId, create: true, now, cancellationToken);
            if (HandRole(enterprise!) is null)
            {
                SetHandRole(db, enterprise!, EnterpriseRole.Member);
            }
        }
    }

    /// <summary>Recomputes <c>Role</c> from both sources; removes the row when nothing holds it.</summary>
    public static void Normalize(IPortalDbContext db, EnterpriseMembership membership)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(membership);
        if (membership.HandRole is null && membership.GroupRole is null && !membership.Provisioned)
        {
            db.EnterpriseMemberships.Remove(membership);
            return;
        }

        membership.Role = Max(membership.HandRole, membership.GroupRole) ?? EnterpriseRole.Member;
    }

    public static void Normalize(IPortalDbContext db, OrganizationMembership membership)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(membership);
        if (membership.HandRole is null && membership.GroupRole is null)
        {
            db.OrganizationMemberships.Remove(membership);
            return;
        }

        membership.Role = (OrganizationRole)Math.Max((int?)membership.HandRole ?? -1, (int?)membership.GroupRole ?? -1);
    }

    /// <summary>Brings rows written before sources were tracked to the explicit form, so a later change keeps their hand role.</summary>
    public static void MakeSourcesExplicit(EnterpriseMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        membership.HandRole = HandRole(membership);
    }

    public static void MakeSourcesExplicit(OrganizationMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        membership.HandRole = HandRole(membership);
    }

    public static string Name(OrganizationRole role) => role == OrganizationRole.Owner ? "owner" : "member";

    private static EnterpriseRole? Max(EnterpriseRole? a, EnterpriseRole? b) =>
        a is null ? b : b is null ? a : (EnterpriseRole)Math.Max((int)a.Value, (int)b.Value);
}
