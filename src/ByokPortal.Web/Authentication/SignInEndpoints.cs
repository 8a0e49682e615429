using ByokPortal.Core.Common;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace ByokPortal.Web.Authentication;

/// <summary>The sign-in and sign-out endpoints the portal maps itself (Microsoft.Identity.Web.UI is not used).</summary>
public static class SignInEndpoints
{
    public const int ReturnUrlMaxLength = 2048;

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
            new ExternalIdentity(email, null, null, httpContext.Connection.RemoteIpAddress?.ToString()), SignInMethod.Demo, httpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            return TypedResults.LocalRedirect(result.Error is PersonDisabledError ? AuthenticationSetup.DisabledPath : "/signin?error=unknown-person");
        }

        await httpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalClaims.CreatePrincipal(result.Value, "demo"));
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static IResult EntraSignIn(string? returnUrl, SignInConfiguration configuration) =>
        configuration.Mode != SignInMode.EntraId
            ? TypedResults.NotFound()
            : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]);

    /// <summary>
    /// Ends the session on the server (the cookie is refused from now on, even if replayed), then removes the cookie. Only from the
    /// portal's own sign-out form: a post without its antiforgery token is refused with 400, so another site cannot sign people out.
    /// </summary>
    private static async Task<IResult> SignOutAsync(
        HttpContext httpContext, SignInConfiguration configuration, IAntiforgery antiforgery, EndSessionCommand endSession, SessionCheck sessions)
    {
        if (!await antiforgery.IsRequestValidAsync(httpContext))
        {
            return TypedResults.Problem(
                title: "The sign-out form has expired. Reload the page and sign out again.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (httpContext.User.GetSessionId() is { } sessionId)
        {
            await endSession.ExecuteAsync(CurrentActor.FromHttpContext(httpContext), sessionId, httpContext.RequestAborted);
            sessions.Forget(sessionId);
        }

        await httpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return configuration.Mode == SignInMode.EntraId
            ? TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/signin?signed-out=1" }, [OpenIdConnectDefaults.AuthenticationScheme])
            : TypedResults.LocalRedirect("/signin?signed-out=1");
    }

    /// <summary>
    /// Only plain paths of this site: an open redirect would turn the sign-in page into a phishing helper, and a control, non-ASCII or
    /// backslash character cannot go into a Location header (it would answer 500). Anything else becomes "/".
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > ReturnUrlMaxLength || returnUrl[0] != '/'
            || (returnUrl.Length > 1 && returnUrl[1] == '/'))
        {
            return "/";
        }

        foreach (var c in returnUrl)
        {
            // Printable ASCII without space and backslash: what a path and query look like once percent-encoded.
            if (c is <= ' ' or > '~' or '\\')
            {
                return "/";
            }
        }

        return Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) ? returnUrl : "/";
    }
}
