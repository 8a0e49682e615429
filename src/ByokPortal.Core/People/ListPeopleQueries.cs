using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.ProviderKeys;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>Where a role comes from.</summary>
public enum RoleSource
{
    Hand,
    Groups,
    HandAndGroups,
}

public sealed record PersonOrganizationRole(Guid OrganizationId, string Slug, string Name, bool Archived, OrganizationRole Role, OrganizationRole? HandRole, OrganizationRole? GroupRole)
{
    public RoleSource Source => PeopleRoles.SourceOf(HandRole is not null, GroupRole is not null);
}

public sealed record PersonRow(
    Guid PersonId,
    string Email,
    string DisplayName,
    DateTimeOffset? LastSignInAt,
    DateTimeOffset? DisabledAt,
    bool EnterpriseOwner,
    bool EnterpriseOwnerByHand,
    bool EnterpriseOwnerFromGroups,
    bool Provisioned,
    IReadOnlyList<PersonOrganizationRole> Organizations);

public sealed record PeoplePage(string ScopeName, IReadOnlyList<PersonRow> Items, int TotalCount, int Page, int PageSize, bool ActorIsEnterpriseOwner);

/// <summary>Everyone in the enterprise (added by hand, given a role by a group, or provisioned), searched and paged in the database.</summary>
public sealed class ListPeopleQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public const int MaxPageSize = 100;

    public async Task<Result<PeoplePage>> ExecuteAsync(Actor actor, string enterpriseSlug, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Enterprise(enterpriseSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var enterpriseId = resolved.Value.EnterpriseId;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        var query = from m in db.EnterpriseMemberships.AsNoTracking()
                    join p in db.People.AsNoTracking() on m.PersonId equals p.Id
                    where m.EnterpriseId == enterpriseId
                    select new { Membership = m, Person = p };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            query = query.Where(r => EF.Functions.Like(r.Person.Email, pattern, LikePattern.Escape) || EF.Functions.Like(r.Person.DisplayName, pattern, LikePattern.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(r => r.Person.Email).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Person.Id).ToList();
        var roles = (await (
                    from m in db.OrganizationMemberships.AsNoTracking()
                    join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                    where o.EnterpriseId == enterpriseId && ids.Contains(m.PersonId)
                    orderby o.Name
                    select new { m.PersonId, Role = PeopleRoles.Row(m, o) })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.PersonId, r => r.Role);
        var items = rows.Select(r => new PersonRow(
                r.Person.Id, r.Person.Email, r.Person.DisplayName, r.Person.LastSignInAt, r.Person.DisabledAt,
                r.Membership.Role == EnterpriseRole.Owner,
                RoleAssignments.HandRole(r.Membership) == EnterpriseRole.Owner,
                r.Membership.GroupRole == EnterpriseRole.Owner,
                r.Membership.Provisioned,
                roles[r.Person.Id].ToList()))
            .ToList();
        return new PeoplePage(resolved.Value.EnterpriseName, items, total, page, pageSize, ActorIsEnterpriseOwner: true);
    }
}

/// <summary>The owners and members of one organization, for its owners and the enterprise's owners; searched and paged in the database.</summary>
public sealed class ListOrganizationPeopleQuery(IPortalDbContextFactory dbFactory, OwnerScopes scopes)
{
    public async Task<Result<PeoplePage>> ExecuteAsync(Actor actor, string organizationSlug, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var resolved = await scopes.ResolveAsync(db, actor, KeyScope.Organization(organizationSlug), AuditActions.AccessDenied, cancellationToken);
        if (!resolved.IsSuccess)
        {
            return resolved.Error!;
        }

        var organizationId = resolved.Value.OrganizationId!.Value;
        pageSize = Math.Clamp(pageSize, 1, ListPeopleQuery.MaxPageSize);
        page = Math.Max(page, 0);
        var query = from m in db.OrganizationMemberships.AsNoTracking()
                    join p in db.People.AsNoTracking() on m.PersonId equals p.Id
                    join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                    where m.OrganizationId == organizationId
                    select new { Membership = m, Person = p, Organization = o };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            query = query.Where(r => EF.Functions.Like(r.Person.Email, pattern, LikePattern.Escape) || EF.Functions.Like(r.Person.DisplayName, pattern, LikePattern.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Membership.Role).ThenBy(r => r.Person.Email).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var items = rows.Select(r => new PersonRow(
                r.Person.Id, r.Person.Email, r.Person.DisplayName, r.Person.LastSignInAt, r.Person.DisabledAt,
                false, false, false, false, [PeopleRoles.Row(r.Membership, r.Organization)]))
            .ToList();
        var isEnterpriseOwner = await db.IsEnterpriseOwnerAsync(actor.PersonId, resolved.Value.EnterpriseId, cancellationToken);
        return new PeoplePage(resolved.Value.DisplayName, items, total, page, pageSize, isEnterpriseOwner);
    }
}

public static class PeopleRoles
{
    public static RoleSource SourceOf(bool byHand, bool fromGroups) => (byHand, fromGroups) switch
    {
        (true, true) => RoleSource.HandAndGroups,
        (false, true) => RoleSource.Groups,
        _ => RoleSource.Hand,
    };

    public static PersonOrganizationRole Row(OrganizationMembership membership, Organizations.Organization organization)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(organization);
        return new PersonOrganizationRole(organization.Id, organization.Slug, organization.Name, organization.ArchivedAt != null, membership.Role,
            RoleAssignments.HandRole(membership), membership.GroupRole);
    }
}
