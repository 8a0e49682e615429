using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// The authentication state of an open page (a circuit). Every <see cref="PortalAuthOptions.RevalidationInterval"/> it asks the database
/// whether the session is still on and whether the person may still see the page; an action asks the same through
/// <see cref="CurrentActor"/>. An ended session makes the state anonymous (the page shows "You have been signed out"); a lost role
/// makes the router check the page again (it shows "No access").
/// </summary>
public sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory, SessionCheck sessions, CurrentPage page, IOptions<PortalAuthOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        if (!await sessions.IsActiveAsync(authenticationState.User, fresh: true, cancellationToken))
        {
            return false;
        }

        if (!await page.IsAuthorizedAsync(authenticationState.User) && page.ReportAccessLost())
        {
            RecheckPage(authenticationState.User);
        }

        return true;
    }

    /// <summary>The session has ended: the page becomes anonymous now, without waiting for the next revalidation.</summary>
    public void EndSession() =>
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));

    /// <summary>The person lost access to the page: the router authorizes it again (same person) and shows "No access".</summary>
    public void RecheckPage(ClaimsPrincipal user) =>
        SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
}
