using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using ByokPortal.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.People;

/// <summary>
/// Disables a person: they can no longer sign in, every session they have ends (open pages show "signed out" on their next action)
/// and every role check treats them as having no role. Enterprise owners may disable people of their enterprise (a role in it or in
/// one of its organizations) and people who hold no role anywhere; never themselves. Disabling a disabled person changes nothing.
/// </summary>
public sealed class DisablePersonCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, string enterpriseSlug, Guid personId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var enterprise = await db.Enterprises.AsNoTracking().FirstOrDefaultAsync(e => e.Slug == enterpriseSlug, cancellationToken);
        if (enterprise is null)
        {
            return new NotFoundError();
        }

        var target = new AuditTarget("person", personId.ToString(), null, enterprise.Id);
        if (!await db.IsEnterpriseOwnerAsync(actor.PersonId, enterprise.Id, cancellationToken))
        {
            await audit.RecordDeniedAsync(db, actor, AuditActions.PersonDisable, target, cancellationToken);
            return new NotFoundError();
        }

        var person = await db.People.FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        if (person is null || !await BelongsToEnterpriseOrNowhereAsync(db, personId, enterprise.Id, cancellationToken))
        {
            return new NotFoundError("No such person in this enterprise.");
        }

        if (person.Id == actor.PersonId)
        {
            return new ForbiddenError("You can't disable yourself.");
        }

        if (person.DisabledAt is not null)
        {
            return Done.Value;
        }

        var now = time.GetUtcNow();
        person.DisabledAt = now;
        var sessions = await db.PersonSessions.Where(s => s.PersonId == personId && s.EndedAt == null).ToListAsync(cancellationToken);
        foreach (var session in sessions)
        {
            session.End(SessionEndReason.PersonDisabled, now);
        }

        audit.Record(db, actor, AuditActions.PersonDisable, target with { Name = person.Email },
            System.Text.Json.JsonSerializer.Serialize(new { endedSessions = sessions.Count }));
        await db.SaveChangesAsync(cancellationToken);
        return Done.Value;
    }

    private static async Task<bool> BelongsToEnterpriseOrNowhereAsync(IPortalDbContext db, Guid personId, Guid enterpriseId, CancellationToken cancellationToken)
    {
        var enterprises = await db.EnterpriseMemberships.Where(m => m.PersonId == personId).Select(m => m.EnterpriseId)
            .Concat(from m in db.OrganizationMemberships
                    join o in db.Organizations on m.OrganizationId equals o.Id
                    where m.PersonId == personId
                    select o.EnterpriseId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return enterprises.Count == 0 || enterprises.Contains(enterpriseId);
    }
}
