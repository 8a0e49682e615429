using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Sessions;

/// <summary>
/// Sign-out: ends the person's current session on the server, so the cookie that carried it is refused from now on, on every
/// instance. Ending an already ended session changes nothing. Recorded in the audit log.
/// </summary>
public sealed class EndSessionCommand(IPortalDbContextFactory dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<Result<Done>> ExecuteAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var session = await db.PersonSessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.PersonId == actor.PersonId, cancellationToken);
        if (session is null)
        {
            return new NotFoundError("This session is not known to the portal.");
        }

        if (!session.IsActive)
        {
            return Done.Value;
        }

        session.End(SessionEndReason.SignedOut, time.GetUtcNow());
        if (await db.PrimaryEnterpriseOfAsync(actor.PersonId, cancellationToken) is { } enterpriseId)
        {
            audit.Record(db, actor, AuditActions.SignOut, new AuditTarget("person", actor.PersonId.ToString(), actor.Name, enterpriseId));
        }

        await db.SaveChangesAsync(cancellationToken);
        return Done.Value;
    }
}
