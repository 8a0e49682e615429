using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;

namespace ByokPortal.Web.Authorization;

/// <summary>
/// A signed-in person who may not use a page gets the page's URL answered with 403 and the "no access" content
/// (the router re-checks the same policy and renders that content instead of the page, so none of the page's data is read).
/// Endpoints keep the standard behaviour.
/// </summary>
internal sealed class NoAccessResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await next(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
