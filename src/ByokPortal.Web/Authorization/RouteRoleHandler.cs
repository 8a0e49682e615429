using ByokPortal.Core.Access;
using ByokPortal.Core.Data;
using ByokPortal.Web.Authentication;
using Microsoft.AspNetCore.Authorization;


namespace ByokPortal.Web.Authorization;

/// <summary>
/// Decides the route policies. The resource is the <see cref="HttpContext"/> when the authorization middleware asks (first request of a page,
/// endpoints), or the page's <see cref="RouteData"/> when the router asks inside a running circuit.
/// </summary>
internal sealed class RouteRoleHandler(IPortalDbContextFactory dbFactory) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var personId = context.User.GetPersonId();
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            switch (requirement)
            {
                case EnterpriseOwnerRequirement:
                    if (personId is { } enterpriseActor && RouteValue(context.Resource, Policies.EnterpriseRouteValue) is { } enterprise)
                    {
                        await using var db = await dbFactory.CreateAsync();
                        if (await db.IsEnterpriseOwnerBySlugAsync(enterpriseActor, enterprise, CancellationToken.None))
                        {
                            context.Succeed(requirement);
                        }
                    }

                    break;
                case OrganizationRoleRequirement organizationRequirement:
                    if (personId is { } organizationActor && RouteValue(context.Resource, Policies.OrganizationRouteValue) is { } organization)
                    {
                        await using var db = await dbFactory.CreateAsync();
                        var access = await db.GetOrganizationAccessBySlugAsync(organizationActor, organization, CancellationToken.None);
                        if (access >= organizationRequirement.Minimum)
                        {
                            context.Succeed(requirement);
                        }
                    }

                    break;
            }
        }
    }

    private static string? RouteValue(object? resource, string name) => resource switch
    {
        HttpContext httpContext => httpContext.GetRouteValue(name) as string,
        Microsoft.AspNetCore.Components.RouteData routeData => routeData.RouteValues.TryGetValue(name, out var value) ? value as string : null,
        _ => null,
    };
}
