using ByokPortal.Core.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// The signed-in person as an <see cref="Actor"/> for the use cases. Identity only: every use case re-reads roles from the database.
/// </summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, ClientInfo client)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var personId = state.User.GetPersonId()
                       ?? throw new InvalidOperationException("This page needs a signed-in person.");
        return new Actor(personId, state.User.GetEmail(), client.Address);
    }

    public static Actor FromHttpContext(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var personId = httpContext.User.GetPersonId()
                       ?? throw new InvalidOperationException("This endpoint needs a signed-in person.");
        return new Actor(personId, httpContext.User.GetEmail(), httpContext.Connection.RemoteIpAddress?.ToString());
    }
}
