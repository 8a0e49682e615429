using System.Data.Common;
using ByokPortal.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Sessions;

/// <summary>
/// Is this session still on? It is when it exists, belongs to the person, has not ended and the person is not disabled.
/// Renews the session's "last seen" time at most once per <see cref="LastSeenResolution"/>.
/// </summary>
public sealed class CheckSessionQuery(IPortalDbContextFactory dbFactory, TimeProvider time)
{
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task<bool> IsActiveAsync(Guid sessionId, Guid personId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateAsync(cancellationToken);
        var lastSeen = await (
                from s in db.PersonSessions
                join p in db.People on s.PersonId equals p.Id
                where s.Id == sessionId && s.PersonId == personId && s.EndedAt == null && p.DisabledAt == null
                select (DateTimeOffset?)s.LastSeenAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (lastSeen is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now - lastSeen.Value >= LastSeenResolution)
        {
            try
            {
                await db.PersonSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
            }
            catch (DbException)
            {
                // "Last seen" is informative only: a busy database must not turn a valid session into a failed request.
            }
        }

        return true;
    }
}
