using System.Security.Claims;
using ByokPortal.Core.Common;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Identity.Web;
using ByokPortal.Web.Scim;

namespace ByokPortal.Web.Authentication;

public static partial class AuthenticationSetup
{
    public const string CookieName = "byokportal.auth";

    /// <summary>Where a sign-in with Entra ID that did not complete lands (the sign-in page says so; the log says why).</summary>
    public const string EntraFailedPath = "/signin?error=entra-failed";

    /// <summary>Where a disabled person's sign-in lands (either sign-in method).</summary>
    public const string DisabledPath = "/signin?error=disabled";

    /// <summary>
    /// Sign-in: a cookie for the portal session, filled either by demo sign-in or by Microsoft Entra ID (Microsoft.Identity.Web).
    /// The cookie carries the ID of a server-side session (<see cref="PersonSession"/>), checked on every request: once the session
    /// has ended (sign-out, person disabled) the cookie is refused and removed. Anonymous visitors are sent to /signin; API callers get 401.
    /// Open pages re-check their session (<see cref="PortalAuthenticationStateProvider"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var mode = PortalAuthOptions.ResolveMode(builder.Configuration, builder.Environment);
        services.AddSingleton(new SignInConfiguration(mode));
        services.AddOptions<PortalAuthOptions>().BindConfiguration(PortalAuthOptions.SectionName);

        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        });

        if (mode == SignInMode.EntraId)
        {
            authentication.AddMicrosoftIdentityWebApp(builder.Configuration.GetSection("AzureAd"),
                OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme);
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                // The person is looked up (and created, made owner, audited) only once every check has passed: the handler
                // validates the nonce and the code/token hashes after OnTokenValidated, so mapping there would act on tokens
                // it then refuses (a replayed ID token would still create a person and a "person.sign_in" audit event).
                var previousTicket = options.Events.OnTicketReceived;
                options.Events.OnTicketReceived = async context =>
                {
                    await previousTicket(context);
                    if (context.Result is null)
                    {
                        await MapToPersonAsync(context);
                    }
                };

                // A refused token, a cancelled consent, an expired or replayed callback: back to the sign-in page with a
                // message, rather than an unhandled exception (500) on /signin-oidc.
                var previousFailure = options.Events.OnRemoteFailure;
                options.Events.OnRemoteFailure = async context =>
                {
                    await previousFailure(context);
                    if (context.Result is null)
                    {
                        LogEntraSignInFailed(Logger(context.HttpContext), context.Failure?.Message);
                        context.Response.Redirect(EntraFailedPath);
                        context.HandleResponse();
                    }
                };
            });
        }
        else
        {
            authentication.AddCookie();
        }

        authentication.AddScimToken();

        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<PortalAuthOptions>>((options, auth) =>
            {
                options.LoginPath = "/signin";
                options.LogoutPath = "/signout";
                options.AccessDeniedPath = "/no-access";
                options.ReturnUrlParameter = "returnUrl";
                options.ExpireTimeSpan = auth.Value.SessionLifetime;
                options.SlidingExpiration = true;
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
                var previousValidate = options.Events.OnValidatePrincipal;
                options.Events.OnValidatePrincipal = async context =>
                {
                    await previousValidate(context);
                    await RefuseEndedSessionAsync(context);
                };
            });

        services.AddMemoryCache();
        services.AddSingleton<SessionCheck>();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<ClientInfo>();
        services.AddScoped<CircuitHandler, ClientInfoCircuitHandler>();
        services.AddScoped<CurrentPage>();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddScoped<CurrentActor>();
        return builder;
    }

    /// <summary>A cookie whose session has ended (or that names none) signs nobody in, and is removed from the browser.</summary>
    private static async Task RefuseEndedSessionAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal)
        {
            return;
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (!await sessions.IsActiveAsync(principal, fresh: false, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (RequestKinds.IsApiOrDownload(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Entra ID proved who signed in; the portal's own principal replaces Entra's claims (roles come from the database).</summary>
    private static async Task MapToPersonAsync(TicketReceivedContext context)
    {
        var principal = context.Principal;
        var email = principal?.FindFirstValue("preferred_username") ?? principal?.FindFirstValue(ClaimTypes.Email)
                    ?? principal?.FindFirstValue("email") ?? principal?.FindFirstValue(ClaimTypes.Upn);
        var objectId = principal?.FindFirstValue(ClaimConstants.ObjectId) ?? principal?.FindFirstValue(ClaimConstants.Oid);
        if (principal is null || string.IsNullOrWhiteSpace(email))
        {
            Refuse(context, "The Entra ID account has no e-mail address or user principal name.");
            return;
        }

        var command = context.HttpContext.RequestServices.GetRequiredService<SignInPersonCommand>();
        var result = await command.ExecuteAsync(
            new ExternalIdentity(email, principal.FindFirstValue("name"), objectId, context.HttpContext.Connection.RemoteIpAddress?.ToString(),
                Groups(principal), GroupsOverage(principal)),
            SignInMethod.EntraId, context.HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            Refuse(context, result.Error!.Message, result.Error is PersonDisabledError ? DisabledPath : EntraFailedPath);
            return;
        }

        context.Principal = PortalClaims.CreatePrincipal(result.Value, "entra-id");
    }

    /// <summary>
    /// The person's groups as Entra ID states them: group object IDs in the <c>groups</c> claim, and app role values (or group object IDs,
    /// when the app registration emits groups as role claims) in the <c>roles</c> claim. Group mappings match either.
    /// </summary>
    private static string[] Groups(ClaimsPrincipal principal) =>
        principal.Claims
            .Where(c => c.Type is "groups" or "roles" or ClaimTypes.Role or "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups")
            .Select(c => c.Value)
            .ToArray();

    /// <summary>
    /// Groups overage: with more groups than a token can carry, Entra ID leaves the groups claim out and says so with
    /// <c>_claim_names</c> (pointing at Microsoft Graph) or, in the implicit flow, <c>hasgroups</c>.
    /// </summary>
    private static bool GroupsOverage(ClaimsPrincipal principal) =>
        principal.Claims.Any(c => (c.Type == "_claim_names" && c.Value.Contains("\"groups\"", StringComparison.Ordinal))
                                  || (c.Type == "hasgroups" && string.Equals(c.Value, "true", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Ends the callback without signing in. (<c>Fail</c> is not enough here: the remote handler ignores a failed
    /// TicketReceived result and would sign the principal in.)
    /// </summary>
    private static void Refuse(TicketReceivedContext context, string reason, string redirectTo = EntraFailedPath)
    {
        LogEntraSignInFailed(Logger(context.HttpContext), reason);
        context.Response.Redirect(redirectTo);
        context.HandleResponse();
    }

    private static ILogger Logger(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in with Microsoft Entra ID did not complete ({Reason}); the person was sent back to the sign-in page.")]
    private static partial void LogEntraSignInFailed(ILogger logger, string? reason);
}
