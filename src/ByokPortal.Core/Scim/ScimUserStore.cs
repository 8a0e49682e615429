using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Identity;
using ByokPortal.Core.People;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Scim;

internal static class ScimUserStore
{
    /// <summary>Built with an initializer (not a constructor), so filters and ordering on it still translate to SQL.</summary>
    public sealed class Row
    {
        public required Person Person { get; init; }

        public required EnterpriseMembership Membership { get; init; }
    }

    public static IQueryable<Row> Users(IPortalDbContext db, Guid enterpriseId) =>
        from m in db.EnterpriseMemberships.AsNoTracking()
        join p in db.People.AsNoTracking() on m.PersonId equals p.Id
        where m.EnterpriseId == enterpriseId
        select new Row { Person = p, Membership = m };

    public static ScimUser ToScim(Person person) =>
        new(person.Id, person.Email, person.ScimExternalId, person.DisplayName, person.DisabledAt is null, person.CreatedAt,
            new[] { person.CreatedAt, person.DisabledAt ?? person.CreatedAt, person.LastSignInAt ?? person.CreatedAt }.Max());

    public static async Task<Result<ScimUser>> UpdateAsync(
        IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time, ScimClient client, Guid id, ScimUserPatch patch, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(patch);
        if (ScimRules.CheckUser(patch.UserName, patch.SetExternalId ? patch.ExternalId : null, patch.DisplayName) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id && db.EnterpriseMemberships.Any(m => m.PersonId == p.Id && m.EnterpriseId == client.EnterpriseId), cancellationToken);
        if (person is null)
        {
            return new NotFoundError($"User {id} not found.");
        }

        if (patch.Active == false && person.DisabledAt is null && await EnterpriseOwners.IsLastActiveOwnerAsync(db, client.EnterpriseId, person.Id, cancellationToken))
        {
            // The request is atomic (RFC 7644 §3.5.2): none of it is applied.
            await EnterpriseOwners.RecordRefusedAsync(audit, db, client.ToActor(clientAddress), client.EnterpriseId, person, AuditActions.ScimUserDeactivate, cancellationToken);
            return EnterpriseOwners.Refusal(person.Email);
        }

        var now = time.GetUtcNow();
        var changed = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (patch.UserName is not null && Person.NormalizeEmail(patch.UserName) is var userName && userName != person.Email)
        {
            if (await db.People.AnyAsync(p => p.Email == userName && p.Id != person.Id, cancellationToken))
            {
                return new ScimUniquenessError($"A user with userName {userName} already exists.");
            }

            changed["userName"] = new { from = person.Email, to = userName };
            person.Email = userName;
        }

        if (!string.IsNullOrWhiteSpace(patch.DisplayName) && patch.DisplayName.Trim() != person.DisplayName)
        {
            person.DisplayName = patch.DisplayName.Trim();
            changed["displayName"] = person.DisplayName;
        }

        if (patch.SetExternalId && patch.ExternalId != person.ScimExternalId)
        {
            person.ScimExternalId = patch.ExternalId;
            changed["externalId"] = patch.ExternalId;
        }

        var membership = (await RoleAssignments.EnterpriseMembershipAsync(db, client.EnterpriseId, person.Id, create: false, now, cancellationToken))!;
        if (!membership.Provisioned)
        {
            RoleAssignments.MakeSourcesExplicit(membership);
            membership.Provisioned = true;
            changed["linked"] = true;
        }

        var action = AuditActions.ScimUserUpdate;
        var roleChanges = new List<string>();
        if (patch.Active is { } active && active != (person.DisabledAt is null))
        {
            changed["active"] = active;
            person.DisabledAt = active ? null : now;
            if (!active)
            {
                action = AuditActions.ScimUserDeactivate;
                roleChanges.AddRange(await RemoveHandRolesAsync(db, client.EnterpriseId, person.Id, cancellationToken));
            }

            roleChanges.AddRange((await GroupRoles.ApplyAsync(db, client.EnterpriseId, [person.Id], now, new GroupSync(audit, client.ToActor(clientAddress), action), cancellationToken)).Select(c => c.Change));
        }

        if (changed.Count > 0)
        {
            changed["roles"] = roleChanges;
            Audit(audit, db, client, clientAddress, action, person, changed);
            if (await TrySaveAsync(db, person.Email, cancellationToken) is { } conflict)
            {
                return conflict;
            }
        }

        return ToScim(person);
    }

    /// <summary>Takes every hand-given role in the enterprise away (the membership stays while provisioned).</summary>
    public static async Task<List<string>> RemoveHandRolesAsync(IPortalDbContext db, Guid enterpriseId, Guid personId, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var memberships = await (
                from m in db.OrganizationMemberships
                join o in db.Organizations on m.OrganizationId equals o.Id
                where m.PersonId == personId && o.EnterpriseId == enterpriseId
                select new { Membership = m, o.Slug })
            .ToListAsync(cancellationToken);
        foreach (var row in memberships)
        {
            if (RoleAssignments.HandRole(row.Membership) is { } role)
            {
                changes.Add($"-{RoleAssignments.Name(role)} of {row.Slug}");
                RoleAssignments.MakeSourcesExplicit(row.Membership);
                row.Membership.HandRole = null;
                RoleAssignments.Normalize(db, row.Membership);
            }
        }

        var enterprise = await db.EnterpriseMemberships.FirstOrDefaultAsync(m => m.EnterpriseId == enterpriseId && m.PersonId == personId, cancellationToken);
        if (enterprise is not null && RoleAssignments.HandRole(enterprise) is { } enterpriseRole)
        {
            if (enterpriseRole == EnterpriseRole.Owner)
            {
                changes.Add("-enterprise owner");
            }

            RoleAssignments.MakeSourcesExplicit(enterprise);
            enterprise.HandRole = null;
            RoleAssignments.Normalize(db, enterprise);
        }

        return changes;
    }

    public static void Audit(AuditTrail audit, IPortalDbContext db, ScimClient client, string? clientAddress, string action, Person person, object details) =>
        audit.Record(db, client.ToActor(clientAddress), action, new AuditTarget("person", person.Id.ToString(), person.Email, client.EnterpriseId), JsonSerializer.Serialize(details));

    public static async Task<ScimUniquenessError?> TrySaveAsync(IPortalDbContext db, string userName, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            return new ScimUniquenessError($"A user with userName {userName} already exists.");
        }
    }
}
