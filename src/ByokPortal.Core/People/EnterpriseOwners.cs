using System.Text.Json;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// The rule that keeps an enterprise manageable: it always has an active (not disabled) enterprise owner. Every path that can take the
/// role away or disable its holder asks <see cref="IsLastActiveOwnerAsync"/> first: the people page and "Remove person" refuse, group
/// sync (sign-in, SCIM groups, group mappings) keeps the role as one given by hand and records <see cref="AuditActions.PersonLastOwnerKept"/>,
/// and SCIM refuses to deactivate or delete that user.
/// </summary>
public static class EnterpriseOwners
{
    /// <summary>
    /// True when the person is an active owner of the enterprise and nobody else is, counting the caller's unsaved changes (tracked
    /// rows): taking their owner role, or disabling them, would leave the enterprise without an active owner.
    /// </summary>
    public static async Task<bool> IsLastActiveOwnerAsync(IPortalDbContext db, Guid enterpriseId, Guid personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.EnterpriseMemberships.Where(m => m.EnterpriseId == enterpriseId && m.Role == EnterpriseRole.Owner).LoadAsync(cancellationToken);
        var owners = db.EnterpriseMemberships.Local.Where(m => m.EnterpriseId == enterpriseId && m.Role == EnterpriseRole.Owner).Select(m => m.PersonId).ToHashSet();
        if (!owners.Contains(personId))
        {
            return false;
        }

        await db.People.Where(p => owners.Contains(p.Id)).LoadAsync(cancellationToken);
        var active = db.People.Local.Where(p => owners.Contains(p.Id) && p.DisabledAt == null).Select(p => p.Id).ToList();
        return active.Contains(personId) && active.All(id => id == personId);
    }

    /// <summary>The refusal for a change that would leave the enterprise without an active owner.</summary>
    public static LastOwnerError Refusal(string email) =>
        new($"{email} is the enterprise's last active owner. Make someone else an enterprise owner first.", CanConfirm: false);

    /// <summary>Records that <paramref name="person"/> kept the enterprise owner role that <paramref name="cause"/> would have taken away, and why.</summary>
    public static void RecordKept(AuditTrail audit, IPortalDbContext db, Actor actor, Guid enterpriseId, Person person, string cause)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(person);
        audit.Record(db, actor, AuditActions.PersonLastOwnerKept, new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId),
            JsonSerializer.Serialize(new
            {
                cause,
                reason = $"{person.Email} is the enterprise's last active owner: the enterprise owner role is kept, now as a role given by hand, until someone else is an enterprise owner.",
            }));
    }

    /// <summary>Records a refused SCIM deactivation or deletion of the last active owner, on its own: call it before changing anything.</summary>
    public static async Task RecordRefusedAsync(AuditTrail audit, IPortalDbContext db, Actor actor, Guid enterpriseId, Person person, string cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(person);
        audit.Record(db, actor, AuditActions.PersonLastOwnerKept, new AuditTarget("person", person.Id.ToString(), person.Email, enterpriseId),
            JsonSerializer.Serialize(new
            {
                cause,
                reason = $"{person.Email} is the enterprise's last active owner: the request was refused and the person keeps the enterprise owner role.",
            }),
            AuditOutcome.Denied);
        await db.SaveChangesAsync(cancellationToken);
    }
}
