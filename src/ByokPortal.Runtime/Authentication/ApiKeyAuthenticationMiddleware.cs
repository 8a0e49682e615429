using ByokPortal.Runtime.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ByokPortal.Runtime.Authentication;

/// <summary>
/// The lean gateway host's authentication: its only way in is the organization API key, so each request runs the API-key scheme's
/// authentication (<see cref="ApiKeyAuthenticationHandler.Authenticate"/>, the same code the portal host runs through ASP.NET Core's
/// authentication middleware) and nothing else — no request service scope, scheme lookups, claims transformation or authorization pass,
/// which together cost more than the authentication itself on every gateway call. The runtime's routes admit their caller
/// (<see cref="Resolution.RuntimeCalls.Admit"/>) and challenge through the registered scheme, which answers why the key was refused.
/// </summary>
public sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, SnapshotStore store, TimeProvider time, ApiKeyRefusalLog refusals)
{
    public Task InvokeAsync(HttpContext context)
    {
        var result = ApiKeyAuthenticationHandler.Authenticate(context, store, time, refusals);
        if (result.IsCompletedSuccessfully && result.Result is { Succeeded: true, Principal: { } principal })
        {
            context.User = principal;
        }

        return next(context);
    }
}

public static class ApiKeyAuthenticationMiddlewareExtensions
{
    // WebApplication adds ASP.NET Core's authentication and authorization middleware to a pipeline that registered their services
    // unless these marks say the pipeline has them (the marks UseAuthentication and UseAuthorization set; ASP.NET Core's own tests set
    // them the same way). This pipeline has its own: the API key's, and no authorization policy on any route.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>For a host whose only authentication is the organization API key (the lean gateway); see <see cref="ApiKeyAuthenticationMiddleware"/>.</summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
    }
}
