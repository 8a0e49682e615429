using System.Net;
using ByokPortal.Core.ProviderKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Providers;

public static class DependencyInjection
{
    /// <summary>The HTTP client for LLM providers: no redirects, no cookies, header values redacted from logs.</summary>
    public static IHostApplicationBuilder AddPortalProviders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.SectionName);
        builder.Services.AddHttpClient(HttpProviderModelClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RedactLoggedHeaders(_ => true);
        builder.Services.AddSingleton<IProviderModelClient, HttpProviderModelClient>();
        return builder;
    }
}
