using ByokPortal.Core.Access;
using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.People;
using ByokPortal.Core.ProviderKeys;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Identity;

public sealed record GroupMappingRow(Guid Id, string GroupId, string? GroupName, MappedRole Role, Guid? OrganizationId, string? OrganizationSlug, string? OrganizationName);

public sealed record ScimGroupRow(Guid Id, string DisplayName, string? ExternalId, int Members);

public sealed record ScimTokenRow(Guid Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record IdentitySettings(
    string EnterpriseName,
    IReadOnlyList<GroupMappingRow> Mappings,
    IReadOnlyList<ScimGroupRow> ScimGroups,
    IReadOnlyList<ScimTokenRow> ScimTokens,
    int RecentOverageSignIns);

/// <summary>The identity settings page (enterprise owners): group mappings, SCIM groups, SCIM tokens, and recent groups-overage sign-ins.</summary>
public sealed class GetIdentitySettingsQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes, TimeProvider time)
{
    public const int ScimGroupLimit = 500;

    public async Task<Result<IdentitySettings>> ExecuteAsync(Actor actor, string enterpriseSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var groups = await db.DirectoryGroups.AsNoTracking().Where(g => g.EnterpriseId == enterpriseId).OrderBy(g => g.DisplayName).Take(ScimGroupLimit)
            .Select(g => new ScimGroupRow(g.Id, g.DisplayName, g.ExternalId, db.DirectoryGroupMembers.Count(m => m.GroupId == g.Id)))
            .ToListAsync(cancellationToken);
        var mappings = await (
                from m in db.GroupMappings.AsNoTracking()
                join o in db.Organizations on m.OrganizationId equals o.Id into orgs
                from o in orgs.DefaultIfEmpty()
                where m.EnterpriseId == enterpriseId
                orderby m.GroupId, m.Role
                select new { m.Id, m.GroupId, m.Role, m.OrganizationId, Slug = o == null ? null : o.Slug, Name = o == null ? null : o.Name })
            .ToListAsync(cancellationToken);
        var groupNames = await db.DirectoryGroups.AsNoTracking().Where(g => g.EnterpriseId == enterpriseId)
            .Select(g => new { Key = g.ExternalId ?? g.Id.ToString(), Id = g.Id.ToString(), g.DisplayName })
            .ToListAsync(cancellationToken);
        string? NameOf(string groupId) => groupNames.FirstOrDefault(g =>
            string.Equals(g.Key, groupId, StringComparison.OrdinalIgnoreCase) || string.Equals(g.Id, groupId, StringComparison.OrdinalIgnoreCase))?.DisplayName;
        var tokens = await (
                from t in db.ScimTokens.AsNoTracking()
                join p in db.People on t.CreatedById equals p.Id
                where t.EnterpriseId == enterpriseId
                orderby t.CreatedAt descending
                select new ScimTokenRow(t.Id, t.Name, t.Prefix, p.Email, t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken);
        var since = time.GetUtcNow().AddDays(-30);
        var overage = await db.AuditEvents.CountAsync(e => e.EnterpriseId == enterpriseId && e.Action == AuditActions.GroupsOverage && e.OccurredAt >= since, cancellationToken);
        return new IdentitySettings(
            resolved.Value.EnterpriseName,
            mappings.Select(m => new GroupMappingRow(m.Id, m.GroupId, NameOf(m.GroupId), m.Role, m.OrganizationId, m.Slug, m.Name)).ToList(),
            groups, tokens, overage);
    }
}

/// <summary>
/// Maps a group to a role (enterprise owners). People already known to be in the group (SCIM members, or the groups of their last
/// Entra ID sign-in) get the role at once; others when they next sign in or are provisioned.
/// </summary>
public sealed class AddGroupMappingCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, IValidator<AddGroupMappingInput> validator, TimeProvider time)
{
    public async Task<Result<GroupMappingRow>> ExecuteAsync(Actor actor, string enterpriseSlug, AddGroupMappingInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        input = input with { GroupId = input.GroupId?.Trim() ?? "", OrganizationId = input.Role == MappedRole.EnterpriseOwner ? null : input.OrganizationId };
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return ValidationError.From(validation);
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.GroupMappingAdd, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        Organizations.Organization? organization = null;
        if (input.OrganizationId is { } organizationId)
        {
            organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId && o.EnterpriseId == enterpriseId, cancellationToken);
            if (organization is null)
            {
                return new NotFoundError("This organization no longer exists.");
            }

            if (organization.IsArchived)
            {
                return ValidationError.For(nameof(AddGroupMappingInput.OrganizationId), $"{organization.Name} is archived: restore it before mapping groups to it.");
            }
        }

        if (await db.GroupMappings.AnyAsync(m => m.EnterpriseId == enterpriseId && m.GroupId == input.GroupId && m.Role == input.Role && m.OrganizationId == input.OrganizationId, cancellationToken))
        {
            return ValidationError.For(nameof(AddGroupMappingInput.GroupId), "This group is already mapped to this role.");
        }

        var now = time.GetUtcNow();
        var mapping = new GroupMapping { EnterpriseId = enterpriseId, GroupId = input.GroupId, Role = input.Role, OrganizationId = input.OrganizationId, CreatedAt = now };
        db.GroupMappings.Add(mapping);
        var changes = await GroupMappingEffects.ApplyAsync(db, enterpriseId, input.GroupId, now, new GroupSync(audit, actor, AuditActions.GroupMappingAdd), cancellationToken);
        audit.Record(db, actor, AuditActions.GroupMappingAdd, new AuditTarget("group_mapping", mapping.Id.ToString(), input.GroupId, enterpriseId, input.OrganizationId),
            JsonSerializer.Serialize(new { groupId = input.GroupId, role = input.Role.ToString(), organization = organization?.Slug, roleChanges = changes }));
        await db.SaveChangesAsync(cancellationToken);
        return new GroupMappingRow(mapping.Id, mapping.GroupId, null, mapping.Role, organization?.Id, organization?.Slug, organization?.Name);
    }
}

/// <summary>Removes a group mapping (enterprise owners): the roles it gave are taken away at once; roles given by hand stay.</summary>
public sealed class RemoveGroupMappingCommand(IPortalDbContextFactory dbFactory, OwnerScopes scopes, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid mappingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.GroupMappingRemove, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        var mapping = await db.GroupMappings.FirstOrDefaultAsync(m => m.Id == mappingId && m.EnterpriseId == enterpriseId, cancellationToken);
        if (mapping is null)
        {
            return new NotFoundError("This group mapping no longer exists.");
        }

        db.GroupMappings.Remove(mapping);
        var changes = await GroupMappingEffects.ApplyAsync(db, enterpriseId, mapping.GroupId, time.GetUtcNow(), new GroupSync(audit, actor, AuditActions.GroupMappingRemove), cancellationToken);
        audit.Record(db, actor, AuditActions.GroupMappingRemove, new AuditTarget("group_mapping", mapping.Id.ToString(), mapping.GroupId, enterpriseId, mapping.OrganizationId),
            JsonSerializer.Serialize(new { groupId = mapping.GroupId, role = mapping.Role.ToString(), roleChanges = changes }));
        await db.SaveChangesAsync(cancellationToken);
        return Done.Value;
    }
}

internal static class GroupMappingEffects
{
    /// <summary>Recomputes the group roles of everyone known to be in the group: its SCIM members and people whose last sign-in named it.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(IPortalDbContext db, Guid enterpriseId, string groupId, DateTimeOffset now, GroupSync sync, CancellationToken cancellationToken)
    {
        var people = await db.SignInGroups.Where(g => g.GroupId == groupId).Select(g => g.PersonId)
            .Concat(db.DirectoryGroupMembers
                .Where(m => db.DirectoryGroups.Any(g => g.Id == m.GroupId && g.EnterpriseId == enterpriseId && g.ExternalId == groupId))
                .Select(m => m.PersonId))
            .Distinct()
            .ToListAsync(cancellationToken);
        var guid = Guid.TryParse(groupId, out var parsed) ? parsed : Guid.Empty;
        if (guid != Guid.Empty)
        {
            people.AddRange(await db.DirectoryGroupMembers.Where(m => m.GroupId == guid && db.DirectoryGroups.Any(g => g.Id == guid && g.EnterpriseId == enterpriseId))
                .Select(m => m.PersonId).ToListAsync(cancellationToken));
        }

        var changes = await GroupRoles.ApplyAsync(db, enterpriseId, people.Distinct().ToList(), now, sync, cancellationToken);
        var emails = await db.People.AsNoTracking().Where(p => people.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Email, cancellationToken);
        return changes.Select(c => $"{emails.GetValueOrDefault(c.PersonId)}: {c.Change}").ToList();
    }
}
