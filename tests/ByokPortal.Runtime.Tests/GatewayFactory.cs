using ByokPortal.Gateway;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ByokPortal.Runtime.Tests;

/// <summary>The host with its shipped appsettings.json; its log lines go to <paramref name="logs"/> when given, else nowhere.</summary>
internal sealed class GatewayFactory(string dataDirectory, Testing.LogCapture? logs = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<GatewayHostMarker>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }

        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", dataDirectory);
        builder.UseSetting("Portal:Outbound:AllowLoopback", "true");
        builder.UseSetting("Portal:Runtime:PolicyPollInterval", "00:00:00.250");
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
    }
}
