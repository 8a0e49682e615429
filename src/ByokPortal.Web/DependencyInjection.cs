using ByokPortal.Core;
using ByokPortal.Persistence;
using ByokPortal.Providers;
using ByokPortal.Runtime;
using ByokPortal.Secrets;
using ByokPortal.Secrets.KeyRing;
using ByokPortal.Web.Audit;
using ByokPortal.Web.Authentication;
using ByokPortal.Web.Authorization;
using ByokPortal.Web.Components;
using ByokPortal.Web.Faults;
using ByokPortal.Web.Health;
using ByokPortal.Web.Scim;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MudBlazor;
using MudBlazor.Services;

namespace ByokPortal.Web;

/// <summary>The composition root, area by area; Program.cs only calls these.</summary>
public static partial class DependencyInjection
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.AddPortalCore();
        builder.AddPortalMaintenance();
        builder.AddPortalPersistence();
        builder.AddPortalSecrets();
        builder.AddPortalProviders();
        builder.AddPortalDataProtection();
        builder.AddPortalAuthentication();
        builder.AddPortalAuthorization();
        builder.AddPortalHealthChecks();
        builder.AddPortalRuntime();
        builder.AddPortalForwardedHeaders();

        // No "Server: Kestrel" on any answer: nothing tells a scanner what runs here.
        builder.Services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);

        // The OpenID Connect handler writes whole protocol messages, ID tokens included, at Trace: never let that category go below Debug.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authentication.OpenIdConnect", LogLevel.Debug);

        // SignalR writes every message of a circuit at Debug, with the values typed into forms (provider keys included): never below Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR", LogLevel.Information);

        builder.Services.AddProblemDetails();
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddSingleton<ActionRunner>();
        builder.Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        return builder;
    }

    /// <summary>Migrates the database and seeds the demo data (demo sign-in only) before the first request.</summary>
    public static async Task InitializePortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var mode = app.Services.GetRequiredService<SignInConfiguration>().Mode;
        await app.Services.LoadKeyRingCertificatesAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<PortalDatabaseInitializer>().InitializeAsync(mode == SignInMode.Demo, app.Lifetime.ApplicationStopping);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ByokPortal");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            StartupLog.Ready(logger, urls, mode == SignInMode.Demo
            ? "demo sign-in: choose ada@contoso.test (enterprise owner), oscar@ or olga@ (organization owners) or mia@ (member)"
                : "Microsoft Entra ID sign-in");
        });
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UsePortalForwardedHeaders();
        app.UsePortalSecurityHeaders(app.Configuration);
        app.UseWhen(IsApi, api => api.UseExceptionHandler());
        if (!app.Environment.IsDevelopment())
        {
            app.UseWhen(c => !IsApi(c), pages => pages.UseExceptionHandler("/error", createScopeForErrors: true));
            app.UseHsts();
        }

        app.UseWhen(c => !IsApi(c), pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

        // Routing after the error handlers: a re-executed request (/error, /not-found) is routed again to its own page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealthChecks();
        app.MapSignInEndpoints();
        app.MapAuditLogExport();
        app.MapScim();
        app.MapPortalRuntime();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static partial class StartupLog
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "ByokPortal is running at {Urls} with {SignIn}.")]
        public static partial void Ready(ILogger logger, string urls, string signIn);
    }

    private static bool IsApi(HttpContext context) => RequestKinds.IsApiOrDownload(context.Request);
}
