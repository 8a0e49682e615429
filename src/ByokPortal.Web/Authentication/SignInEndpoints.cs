using ByokPortal.Core.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace ByokPortal.Web.Authentication;

/// <summary>The sign-in and sign-out endpoints the portal maps itself (Microsoft.Identity.Web.UI is not used).</summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        group.MapPost("/signin/demo", DemoSignInAsync);
        group.MapGet("/signin/entra", EntraSignIn);
        endpoints.MapPost("/signout", SignOutAsync).RequireAuthorization().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> DemoSignInAsync(
        [FromForm] string email, [FromForm] string? returnUrl,
        HttpContext httpContext, SignInConfiguration configuration, SignInPersonCommand command)
    {
        if (configuration.Mode != SignInMode.Demo)
        {
            return TypedResults.NotFound();
        }

        var result = await command.ExecuteAsync(
            new ExternalIdentity(email, null, null, httpContext.Connection.RemoteIpAddress?.ToString()), createUnknown: false, httpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            return TypedResults.LocalRedirect("/signin?error=unknown-person");
        }

        await httpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalClaims.CreatePrincipal(result.Value, "demo"));
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static IResult EntraSignIn(string? returnUrl, SignInConfiguration configuration) =>
        configuration.Mode != SignInMode.EntraId
            ? TypedResults.NotFound()
            : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]);

    private static async Task<IResult> SignOutAsync(HttpContext httpContext, SignInConfiguration configuration)
    {
        await httpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return configuration.Mode == SignInMode.EntraId
            ? TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/signin?signed-out=1" }, [OpenIdConnectDefaults.AuthenticationScheme])
            : TypedResults.LocalRedirect("/signin?signed-out=1");
    }

    /// <summary>Only paths of this site: an open redirect would turn the sign-in page into a phishing helper.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";
}
