using Microsoft.AspNetCore.Authorization;

namespace ByokPortal.Web.Authorization;

public static class AuthorizationSetup
{
    public static IHostApplicationBuilder AddPortalAuthorization(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddScoped<IAuthorizationHandler, RouteRoleHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, NoAccessResultHandler>();
        return builder;
    }
}
