using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>The rules every hand-given role change follows: organizations of this enterprise only, none archived, owners kept.</summary>
internal static class PersonRoleChanges
{
    /// <summary>The organization an audit event names when a change touches exactly one; null otherwise.</summary>
    public static Guid? SingleOrganization(IReadOnlyList<OrganizationRoleChange> changes) => changes.Count == 1 ? changes[0].OrganizationId : null;

    public static Task<bool> IsLastOrganizationOwnerAsync(IPortalDbContext db, Guid organizationId, Guid personId, CancellationToken cancellationToken) =>
        db.OrganizationMemberships.AllAsync(m => m.OrganizationId != organizationId || m.Role != OrganizationRole.Owner || m.PersonId == personId, cancellationToken);

    /// <summary>
    /// Sets the hand-given enterprise owner role (null keeps it as it is), adding the person to the enterprise by hand;
    /// refuses to demote the enterprise's last owner.
    /// </summary>
    public static async Task<Error?> SetEnterpriseOwnerAsync(
        IPortalDbContext db, Guid enterpriseId, Person person, bool? wanted, List<string> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var membership = await RoleAssignments.EnterpriseMembershipAsync(db, enterpriseId, person.Id, create: true, now, cancellationToken);
        var handOwner = RoleAssignments.HandRole(membership!) == EnterpriseRole.Owner;
        var owner = wanted ?? handOwner;
        if (handOwner == owner)
        {
            if (RoleAssignments.HandRole(membership!) is null)
            {
                RoleAssignments.MakeSourcesExplicit(membership!);
                RoleAssignments.SetHandRole(db, membership!, EnterpriseRole.Member);
            }

            return null;
        }

        if (!owner && membership!.GroupRole != EnterpriseRole.Owner && await EnterpriseOwners.IsLastActiveOwnerAsync(db, enterpriseId, person.Id, cancellationToken))
        {
            return EnterpriseOwners.Refusal(person.Email);
        }

        RoleAssignments.MakeSourcesExplicit(membership!);
        RoleAssignments.SetHandRole(db, membership!, owner ? EnterpriseRole.Owner : EnterpriseRole.Member);
        changes.Add(owner ? "+enterprise owner" : "-enterprise owner");
        return null;
    }

    /// <summary>
    /// Applies hand-given organization roles. Refuses organizations of another enterprise (as not found) and new roles in archived ones;
    /// an organization keeps an owner unless an enterprise owner confirms removing the last one.
    /// </summary>
    public static async Task<Error?> SetOrganizationRolesAsync(
        IPortalDbContext db, Guid enterpriseId, Person person, IReadOnlyList<OrganizationRoleChange> requested, bool actorIsEnterpriseOwner, bool confirmLastOwner,
        List<string> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var organizationIds = requested.Select(c => c.OrganizationId).ToList();
        var organizations = await db.Organizations.AsNoTracking()
            .Where(o => o.EnterpriseId == enterpriseId && organizationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        foreach (var change in requested)
        {
            if (!organizations.TryGetValue(change.OrganizationId, out var organization))
            {
                return new NotFoundError("One of the chosen organizations no longer exists.");
            }

            var membership = db.OrganizationMemberships.Local.FirstOrDefault(m => m.OrganizationId == organization.Id && m.PersonId == person.Id)
                             ?? await db.OrganizationMemberships.FirstOrDefaultAsync(m => m.OrganizationId == organization.Id && m.PersonId == person.Id, cancellationToken);
            var hand = membership is null ? null : RoleAssignments.HandRole(membership);
            if (hand == change.Role)
            {
                continue;
            }

            if (change.Role is not null && organization.IsArchived)
            {
                return ValidationError.For("Organizations", $"{organization.Name} is archived: restore it before giving roles in it.");
            }

            var group = membership?.GroupRole;
            OrganizationRole? after = change.Role is null ? group : group is null ? change.Role : (OrganizationRole)Math.Max((int)group.Value, (int)change.Role.Value);
            if (membership?.Role == OrganizationRole.Owner && after != OrganizationRole.Owner
                && await IsLastOrganizationOwnerAsync(db, organization.Id, person.Id, cancellationToken)
                && !(actorIsEnterpriseOwner && confirmLastOwner))
            {
                return new LastOwnerError(
                    actorIsEnterpriseOwner
                        ? $"{person.Email} is the last owner of {organization.Name}. Confirm to leave the organization without an owner (enterprise owners still manage it)."
                        : $"{person.Email} is the last owner of {organization.Name}. Make someone else an owner first.",
                    CanConfirm: actorIsEnterpriseOwner);
            }

            if (membership is not null)
            {
                RoleAssignments.MakeSourcesExplicit(membership);
            }

            await RoleAssignments.SetHandRoleAsync(db, enterpriseId, organization.Id, person.Id, change.Role, now, cancellationToken);
            if (hand is { } removed)
            {
                changes.Add($"-{RoleAssignments.Name(removed)} of {organization.Slug}");
            }

            if (change.Role is { } added)
            {
                changes.Add($"+{RoleAssignments.Name(added)} of {organization.Slug}");
            }
        }

        return null;
    }
}
