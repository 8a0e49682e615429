using ByokPortal.Core.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// The signed-in person as an <see cref="Actor"/> for the use cases. Identity only: every use case re-reads roles from the database.
/// Every call checks, in the database, that the person's session is still on: an ended session (signed out elsewhere, person disabled)
/// throws <see cref="SessionEndedException"/>, so the action does nothing and the page shows "You have been signed out". It also checks
/// that the person may still see the current page; if not, the page turns to "No access" (the use case refuses on its own).
/// </summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, ClientInfo client, SessionCheck sessions, CurrentPage page)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var user = state.User;
        if (user.GetPersonId() is not { } personId)
        {
            throw new SessionEndedException();
        }

        var portal = authentication as PortalAuthenticationStateProvider;
        if (!await sessions.IsActiveAsync(user, fresh: true, CancellationToken.None))
        {
            portal?.EndSession();
            throw new SessionEndedException();
        }

        if (portal is not null && !await page.IsAuthorizedAsync(user) && page.ReportAccessLost())
        {
            portal.RecheckPage(user);
        }

        return new Actor(personId, user.GetEmail(), client.Address);
    }

    public static Actor FromHttpContext(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var personId = httpContext.User.GetPersonId()
                       ?? throw new InvalidOperationException("This endpoint needs a signed-in person.");
        return new Actor(personId, httpContext.User.GetEmail(), httpContext.Connection.RemoteIpAddress?.ToString());
    }
}
