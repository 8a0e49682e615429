using System.Security.Claims;
using ByokPortal.Core.People;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Identity.Web;

namespace ByokPortal.Web.Authentication;

public static class AuthenticationSetup
{
    public const string CookieName = "byokportal.auth";

    /// <summary>
    /// Sign-in: a cookie for the portal session, filled either by demo sign-in or by Microsoft Entra ID (Microsoft.Identity.Web).
    /// Anonymous visitors are sent to /signin; API callers get 401.
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
                var previous = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await previous(context);
                    await MapToPersonAsync(context);
                };
            });
        }
        else
        {
            authentication.AddCookie();
        }

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
            });

        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<ClientInfo>();
        services.AddScoped<CircuitHandler, ClientInfoCircuitHandler>();
        services.AddScoped<CurrentActor>();
        return builder;
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
    private static async Task MapToPersonAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (principal is null)
        {
            context.Fail("Entra ID returned no identity.");
            return;
        }

        var email = principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue(ClaimTypes.Email)
                    ?? principal.FindFirstValue("email") ?? principal.FindFirstValue(ClaimTypes.Upn);
        var objectId = principal.FindFirstValue(ClaimConstants.ObjectId) ?? principal.FindFirstValue(ClaimConstants.Oid);
        if (string.IsNullOrWhiteSpace(email))
        {
            context.Fail("The Entra ID account has no e-mail address or user principal name.");
            return;
        }

        var command = context.HttpContext.RequestServices.GetRequiredService<SignInPersonCommand>();
        var result = await command.ExecuteAsync(
            new ExternalIdentity(email, principal.FindFirstValue("name"), objectId, context.HttpContext.Connection.RemoteIpAddress?.ToString()),
            createUnknown: true, context.HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            context.Fail(result.Error!.Message);
            return;
        }

        context.Principal = PortalClaims.CreatePrincipal(result.Value, "entra-id");
    }
}
