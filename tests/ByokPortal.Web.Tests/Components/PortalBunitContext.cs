using Bunit;
using ByokPortal.Core.People;
using ByokPortal.Core.Sessions;
using ByokPortal.Web.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ByokPortal.Web.Tests.Components;

/// <summary>
/// bUnit with MudBlazor and, behind it, the real portal's services (real SQLite, real secret store) as fallback, so components run
/// their real use cases. Signed in as the given person, with a real server-side session (actions check it).
/// </summary>
public abstract class PortalBunitContext : BunitContext
{
    private readonly IServiceProvider? _portalServices;

    protected PortalBunitContext(IServiceProvider? portalServices = null)
    {
        _portalServices = portalServices;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddHttpContextAccessor();
        Services.AddScoped<ClientInfo>();
        Services.AddScoped<CurrentPage>();
        Services.AddScoped<CurrentActor>();
        if (portalServices is not null)
        {
            Services.AddSingleton(portalServices.GetRequiredService<SessionCheck>());
            Services.AddFallbackServiceProvider(portalServices);
        }
    }

    /// <summary>Signs in through the portal's own sign-in use case (demo sign-in), so the principal carries a live session.</summary>
    protected async Task SignInAsAsync(string email)
    {
        var services = _portalServices ?? throw new InvalidOperationException("Signing in needs the portal's services.");
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SignInPersonCommand>()
            .ExecuteAsync(new ExternalIdentity(email, null, null, "127.0.0.1"), SignInMethod.Demo, Xunit.TestContext.Current.CancellationToken);
        var authorization = AddAuthorization();
        authorization.SetAuthorized(email);
        authorization.SetClaims([.. PortalClaims.CreatePrincipal(result.Value, "demo").Claims]);
        Renderer.SetRendererInfo(new RendererInfo("Server", true));
    }
}
