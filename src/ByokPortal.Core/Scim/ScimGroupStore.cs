using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

internal static class ScimGroupStore
{
    public sealed record MemberChanges(IReadOnlyList<ScimMember> Members, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> RoleChanges);

    public static ScimGroup ToScim(DirectoryGroup group, IReadOnlyList<ScimMember> members) =>
        new(group.Id, group.DisplayName, group.ExternalId, members, group.CreatedAt, group.UpdatedAt);

    public static async Task<ILookup<Guid, ScimMember>> MembersAsync(IPortalDbContext db, IReadOnlyList<Guid> groupIds, CancellationToken cancellationToken) =>
        (await (
                from m in db.DirectoryGroupMembers.AsNoTracking()
                join p in db.People.AsNoTracking() on m.PersonId equals p.Id
                where groupIds.Contains(m.GroupId)
                orderby p.Email
                select new { m.GroupId, Member = new ScimMember(p.Id, p.Email) })
            .ToListAsync(cancellationToken))
        .ToLookup(r => r.GroupId, r => r.Member);

    public static Task<bool> NameTakenAsync(IPortalDbContext db, Guid enterpriseId, string name, Guid? except, CancellationToken cancellationToken)
    {
        var pattern = LikePattern.Equal(name);
        return db.DirectoryGroups.AnyAsync(g => g.EnterpriseId == enterpriseId && EF.Functions.Like(g.DisplayName, pattern, LikePattern.Escape) && g.Id != except, cancellationToken);
    }

    public static async Task<Result<ScimGroup>> UpdateAsync(
        IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time, ScimClient client, Guid id, ScimGroupPatch patch, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(patch);
        if (ScimRules.CheckGroup(patch.DisplayName, patch.SetExternalId ? patch.ExternalId : null) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var group = await db.DirectoryGroups.FirstOrDefaultAsync(g => g.Id == id && g.EnterpriseId == client.EnterpriseId, cancellationToken);
        if (group is null)
        {
            return new NotFoundError($"Group {id} not found.");
        }

        var now = time.GetUtcNow();
        var changed = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (patch.DisplayName is not null && patch.DisplayName.Trim() != group.DisplayName)
        {
            var name = patch.DisplayName.Trim();
            if (await NameTakenAsync(db, client.EnterpriseId, name, group.Id, cancellationToken))
            {
                return new ScimUniquenessError($"A group named {name} already exists.");
            }

            changed["displayName"] = new { from = group.DisplayName, to = name };
            group.DisplayName = name;
        }

        var keysChanged = false;
        if (patch.SetExternalId && patch.ExternalId != group.ExternalId)
        {
            changed["externalId"] = patch.ExternalId;
            group.ExternalId = patch.ExternalId;
            keysChanged = true;
        }

        var result = await ChangeMembersAsync(db, client, group, patch.AddMembers ?? [], patch.RemoveMembers ?? [], patch.ReplaceMembers, now, new GroupSync(audit, client.ToActor(clientAddress), AuditActions.ScimGroupUpdate), cancellationToken, recomputeAll: keysChanged);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        if (result.Value.Added.Count > 0)
        {
            changed["membersAdded"] = result.Value.Added;
        }

        if (result.Value.Removed.Count > 0)
        {
            changed["membersRemoved"] = result.Value.Removed;
        }

        if (changed.Count > 0)
        {
            group.UpdatedAt = now;
            changed["roles"] = result.Value.RoleChanges;
            Audit(audit, db, client, clientAddress, AuditActions.ScimGroupUpdate, group, changed);
            await db.SaveChangesAsync(cancellationToken);
        }

        return ToScim(group, result.Value.Members);
    }

    /// <summary>Adds, removes or replaces members (people of the enterprise only), then recomputes the group roles of everyone affected.</summary>
    public static async Task<Result<MemberChanges>> ChangeMembersAsync(
        IPortalDbContext db, ScimClient client, DirectoryGroup group, IReadOnlyList<Guid> add, IReadOnlyList<Guid> remove, IReadOnlyList<Guid>? replace,
        DateTimeOffset now, GroupSync sync, CancellationToken cancellationToken, bool recomputeAll = false)
    {
        if (add.Count + remove.Count + (replace?.Count ?? 0) > ScimRules.MaxMembersPerRequest)
        {
            return ValidationError.For("members", $"At most {ScimRules.MaxMembersPerRequest} members per request.");
        }

        var current = await db.DirectoryGroupMembers.Where(m => m.GroupId == group.Id).ToListAsync(cancellationToken);
        var wanted = (replace ?? current.Select(m => m.PersonId).ToList()).Concat(add).Except(remove).ToHashSet();
        var newIds = wanted.Except(current.Select(m => m.PersonId)).ToList();
        var known = await db.EnterpriseMemberships.Where(m => m.EnterpriseId == client.EnterpriseId && newIds.Contains(m.PersonId)).Select(m => m.PersonId).ToListAsync(cancellationToken);
        if (newIds.Except(known).FirstOrDefault() is var unknown && unknown != Guid.Empty)
        {
            return ValidationError.For("members", $"Member {unknown} is not a user of this service provider.");
        }

        var removed = current.Where(m => !wanted.Contains(m.PersonId)).ToList();
        db.DirectoryGroupMembers.RemoveRange(removed);
        foreach (var personId in newIds)
        {
            db.DirectoryGroupMembers.Add(new DirectoryGroupMember { GroupId = group.Id, PersonId = personId });
        }

        var affected = (recomputeAll ? wanted.Concat(removed.Select(m => m.PersonId)) : newIds.Concat(removed.Select(m => m.PersonId))).Distinct().ToList();
        var roleChanges = await GroupRoles.ApplyAsync(db, client.EnterpriseId, affected, now, sync, cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => wanted.Contains(p.Id) || affected.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Email, cancellationToken);
        return new MemberChanges(
            wanted.Select(id => new ScimMember(id, people.GetValueOrDefault(id, ""))).OrderBy(m => m.UserName, StringComparer.Ordinal).ToList(),
            newIds.Select(id => people.GetValueOrDefault(id, id.ToString())).ToList(),
            removed.Select(m => people.GetValueOrDefault(m.PersonId, m.PersonId.ToString())).ToList(),
            roleChanges.Select(c => $"{people.GetValueOrDefault(c.PersonId)}: {c.Change}").ToList());
    }

    public static void Audit(AuditTrail audit, IPortalDbContext db, ScimClient client, string? clientAddress, string action, DirectoryGroup group, object details) =>
        audit.Record(db, client.ToActor(clientAddress), action, new AuditTarget("scim_group", group.Id.ToString(), group.DisplayName, client.EnterpriseId), JsonSerializer.Serialize(details));
}
