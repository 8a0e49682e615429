using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using RouteData = Microsoft.AspNetCore.Components.RouteData;

namespace ByokPortal.Web.Authentication;

/// <summary>
/// The page the router shows in this circuit (or request), so that an action can ask whether the person may still see it: the same
/// check <c>AuthorizeRouteView</c> makes (the page's [Authorize] policy, with the route data as resource), read from the database now.
/// </summary>
public sealed class CurrentPage(IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
{
    private RouteData? _routeData;
    private bool _lossReported;

    public RouteData? RouteData
    {
        get => _routeData;
        set
        {
            if (!ReferenceEquals(_routeData, value))
            {
                _routeData = value;
                _lossReported = false;
            }
        }
    }

    /// <summary>True the first time it is called after the person lost access to this page: the router is asked to check it once.</summary>
    public bool ReportAccessLost()
    {
        var first = !_lossReported;
        _lossReported = true;
        return first;
    }

    public async Task<bool> IsAuthorizedAsync(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (RouteData is not { } route)
        {
            return true;
        }

        var attributes = route.PageType.GetCustomAttributes(inherit: true);
        if (attributes.OfType<IAllowAnonymous>().Any())
        {
            return true;
        }

        var policy = await AuthorizationPolicy.CombineAsync(policies, attributes.OfType<IAuthorizeData>());
        return policy is null || (await authorization.AuthorizeAsync(user, route, policy)).Succeeded;
    }
}

/// <summary>Tells <see cref="CurrentPage"/> which page the router matched. Placed before the route view so it runs first.</summary>
public sealed class TrackCurrentPage(CurrentPage page) : ComponentBase
{
    [Parameter, EditorRequired]
    public RouteData RouteData { get; set; } = default!;

    protected override void OnParametersSet() => page.RouteData = RouteData;
}
