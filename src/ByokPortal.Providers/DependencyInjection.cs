using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Providers;

public static class DependencyInjection
{
    /// <summary>
    /// The HTTP client for LLM providers: the <see cref="OutboundGuard"/>'s handler (internal addresses refused at connect time, no
    /// redirects, no cookies, no proxy, no automatic decompression), header values redacted from logs.
    /// </summary>
    public static IHostApplicationBuilder AddPortalProviders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.SectionName);
        builder.Services.AddPortalOutbound();
        builder.Services.AddHttpClient(HttpProviderModelClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler())
            .RedactLoggedHeaders(_ => true);
        builder.Services.AddSingleton<IProviderModelClient, HttpProviderModelClient>();
        return builder;
    }
}
