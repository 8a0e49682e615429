using System.Security.Claims;
using ByokPortal.Core.Sessions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// Whether the session a signed-in principal carries is still on (see <see cref="CheckSessionQuery"/>). HTTP requests may use an answer
/// this instance got up to <see cref="PortalAuthOptions.SessionCheckCacheDuration"/> ago; actions in open pages ask the database.
/// </summary>
public sealed class SessionCheck(CheckSessionQuery query, IMemoryCache cache, IOptions<PortalAuthOptions> options)
{
    public async Task<bool> IsActiveAsync(ClaimsPrincipal user, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.GetPersonId() is not { } personId || user.GetSessionId() is not { } sessionId)
        {
            return false;
        }

        var key = CacheKey(sessionId);
        if (!fresh && cache.TryGetValue(key, out _))
        {
            return true;
        }

        var active = await query.IsActiveAsync(sessionId, personId, cancellationToken);
        if (active)
        {
            cache.Set(key, true, options.Value.SessionCheckCacheDuration);
        }
        else
        {
            cache.Remove(key);
        }

        return active;
    }

    /// <summary>Drops this instance's remembered answer, so the session's end is seen at once here.</summary>
    public void Forget(Guid sessionId) => cache.Remove(CacheKey(sessionId));

    private static (string, Guid) CacheKey(Guid sessionId) => ("portal-session", sessionId);
}
