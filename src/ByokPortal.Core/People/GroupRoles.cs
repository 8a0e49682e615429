using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// The roles that come from groups: a person's organization and enterprise roles as their groups' mappings give them, written beside the
/// roles given by hand (<see cref="RoleAssignments"/>). Works on tracked entities: the caller saves once, with its audit event.
/// </summary>
public static class GroupRoles
{
    /// <summary>
    /// Recomputes the roles that come from groups for these people in one enterprise: the mapped groups they are in (SCIM groups of the
    /// enterprise, and the groups of their last Entra ID sign-in) give their mapped roles; roles no mapped group gives any more are taken
    /// away; roles given by hand stay. A disabled person gets none. Sees the caller's unsaved changes (tracked rows). The enterprise's
    /// last active owner keeps the enterprise owner role (<see cref="EnterpriseOwners"/>): it becomes a role given by hand, and
    /// <paramref name="sync"/> records why.
    /// </summary>
    public static async Task<IReadOnlyList<RoleChange>> ApplyAsync(
        IPortalDbContext db, Guid enterpriseId, IReadOnlyCollection<Guid> personIds, DateTimeOffset now, GroupSync sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(personIds);
        if (personIds.Count == 0)
        {
            return [];
        }

        var ids = personIds.Distinct().ToList();
        await db.GroupMappings.Where(m => m.EnterpriseId == enterpriseId).LoadAsync(cancellationToken);
        await db.SignInGroups.Where(g => ids.Contains(g.PersonId)).LoadAsync(cancellationToken);
        await db.DirectoryGroupMembers.Where(m => ids.Contains(m.PersonId) && db.DirectoryGroups.Any(g => g.Id == m.GroupId && g.EnterpriseId == enterpriseId)).LoadAsync(cancellationToken);
        await db.DirectoryGroups.Where(g => g.EnterpriseId == enterpriseId && db.DirectoryGroupMembers.Any(m => m.GroupId == g.Id && ids.Contains(m.PersonId))).LoadAsync(cancellationToken);
        await db.OrganizationMemberships.Where(m => ids.Contains(m.PersonId) && db.Organizations.Any(o => o.Id == m.OrganizationId && o.EnterpriseId == enterpriseId)).LoadAsync(cancellationToken);
        await db.EnterpriseMemberships.Where(m => m.EnterpriseId == enterpriseId && ids.Contains(m.PersonId)).LoadAsync(cancellationToken);
        await db.People.Where(p => ids.Contains(p.Id)).LoadAsync(cancellationToken);
        var disabled = db.People.Local.Where(p => ids.Contains(p.Id) && p.DisabledAt != null).Select(p => p.Id).ToHashSet();

        var mappings = db.GroupMappings.Local.Where(m => m.EnterpriseId == enterpriseId).ToList();
        var groups = db.DirectoryGroups.Local.Where(g => g.EnterpriseId == enterpriseId).ToDictionary(g => g.Id);
        var organizationSlugs = await OrganizationSlugsAsync(db, enterpriseId, mappings, ids, cancellationToken);
        var changes = new List<RoleChange>();
        foreach (var personId in ids)
        {
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (!disabled.Contains(personId))
            {
                keys.UnionWith(db.SignInGroups.Local.Where(g => g.PersonId == personId).Select(g => g.GroupId));
                foreach (var member in db.DirectoryGroupMembers.Local.Where(m => m.PersonId == personId))
                {
                    if (groups.TryGetValue(member.GroupId, out var group))
                    {
                        keys.Add(group.Id.ToString());
                        if (!string.IsNullOrEmpty(group.ExternalId))
                        {
                            keys.Add(group.ExternalId);
                        }
                    }
                }
            }

            var applicable = mappings.Where(m => keys.Contains(m.GroupId)).ToList();
            var organizationRoles = applicable
                .Where(m => m.Role != MappedRole.EnterpriseOwner && m.OrganizationId is not null)
                .GroupBy(m => m.OrganizationId!.Value)
                .ToDictionary(g => g.Key, g => g.Any(m => m.Role == MappedRole.OrganizationOwner) ? OrganizationRole.Owner : OrganizationRole.Member);
            EnterpriseRole? enterpriseRole = applicable.Any(m => m.Role == MappedRole.EnterpriseOwner) ? EnterpriseRole.Owner
                : organizationRoles.Count > 0 ? EnterpriseRole.Member : null;

            foreach (var membership in db.OrganizationMemberships.Local.Where(m => m.PersonId == personId && organizationSlugs.ContainsKey(m.OrganizationId)).ToList())
            {
                var wanted = organizationRoles.TryGetValue(membership.OrganizationId, out var role) ? role : (OrganizationRole?)null;
                organizationRoles.Remove(membership.OrganizationId);
                if (membership.GroupRole == wanted)
                {
                    continue;
                }

                RoleAssignments.MakeSourcesExplicit(membership);
                Describe(changes, personId, membership.GroupRole, wanted, organizationSlugs[membership.OrganizationId]);
                membership.GroupRole = wanted;
                RoleAssignments.Normalize(db, membership);
            }

            foreach (var (organizationId, role) in organizationRoles)
            {
                db.OrganizationMemberships.Add(new OrganizationMembership { OrganizationId = organizationId, PersonId = personId, Role = role, GroupRole = role, CreatedAt = now });
                Describe(changes, personId, null, role, organizationSlugs.GetValueOrDefault(organizationId, organizationId.ToString()));
            }

            var enterprise = db.EnterpriseMemberships.Local.FirstOrDefault(m => m.EnterpriseId == enterpriseId && m.PersonId == personId);
            if (enterprise is null && enterpriseRole is not null)
            {
                // Written with its source at once: a new row with no sources would read as given by hand.
                db.EnterpriseMemberships.Add(new EnterpriseMembership
                {
                    EnterpriseId = enterpriseId, PersonId = personId, Role = enterpriseRole.Value, GroupRole = enterpriseRole, CreatedAt = now,
                });
                if (enterpriseRole == EnterpriseRole.Owner)
                {
                    changes.Add(new RoleChange(personId, "+enterprise owner (group)"));
                }
            }
            else if (enterprise is not null && enterprise.GroupRole != enterpriseRole)
            {
                RoleAssignments.MakeSourcesExplicit(enterprise);
                if (enterprise.Role == EnterpriseRole.Owner && enterprise.HandRole != EnterpriseRole.Owner && enterpriseRole != EnterpriseRole.Owner
                    && await EnterpriseOwners.IsLastActiveOwnerAsync(db, enterpriseId, personId, cancellationToken))
                {
                    enterprise.HandRole = EnterpriseRole.Owner;
                    changes.Add(new RoleChange(personId, "enterprise owner kept (last active owner)"));
                    EnterpriseOwners.RecordKept(sync.Audit, db, sync.Actor, enterpriseId, db.People.Local.First(p => p.Id == personId), sync.Cause);
                }

                if ((enterprise.GroupRole == EnterpriseRole.Owner) != (enterpriseRole == EnterpriseRole.Owner))
                {
                    changes.Add(new RoleChange(personId, (enterpriseRole == EnterpriseRole.Owner ? "+" : "-") + "enterprise owner (group)"));
                }

                enterprise.GroupRole = enterpriseRole;
                RoleAssignments.Normalize(db, enterprise);
            }
        }

        return changes;
    }

    private static void Describe(List<RoleChange> changes, Guid personId, OrganizationRole? before, OrganizationRole? after, string organization)
    {
        if (before is { } removed)
        {
            changes.Add(new RoleChange(personId, $"-{RoleAssignments.Name(removed)} of {organization} (group)"));
        }

        if (after is { } added)
        {
            changes.Add(new RoleChange(personId, $"+{RoleAssignments.Name(added)} of {organization} (group)"));
        }
    }

    private static async Task<Dictionary<Guid, string>> OrganizationSlugsAsync(IPortalDbContext db, Guid enterpriseId, List<GroupMapping> mappings, List<Guid> personIds, CancellationToken cancellationToken)
    {
        var organizationIds = mappings.Where(m => m.OrganizationId is not null).Select(m => m.OrganizationId!.Value)
            .Concat(db.OrganizationMemberships.Local.Where(m => personIds.Contains(m.PersonId)).Select(m => m.OrganizationId))
            .Distinct().ToList();
        return await db.Organizations.AsNoTracking().Where(o => o.EnterpriseId == enterpriseId && organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Slug, cancellationToken);
    }
}
