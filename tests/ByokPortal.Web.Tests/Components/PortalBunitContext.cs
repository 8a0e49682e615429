using System.Security.Claims;
using Bunit;
using ByokPortal.Web.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ByokPortal.Web.Tests.Components;

/// <summary>
/// bUnit with MudBlazor and, behind it, the real portal's services (real SQLite, real secret store) as fallback, so components run
/// their real use cases. Signed in as the given person.
/// </summary>
public abstract class PortalBunitContext : BunitContext
{
    protected PortalBunitContext(IServiceProvider? portalServices = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddHttpContextAccessor();
        Services.AddScoped<ClientInfo>();
        Services.AddScoped<CurrentActor>();
        if (portalServices is not null)
        {
            Services.AddFallbackServiceProvider(portalServices);
        }
    }

    protected void SignInAs(Guid personId, string email)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(email);
        authorization.SetClaims(new Claim(PortalClaims.PersonId, personId.ToString()), new Claim(ClaimTypes.Email, email));
        Renderer.SetRendererInfo(new RendererInfo("Server", true));
    }
}
