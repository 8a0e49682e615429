using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Providers.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

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
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("provider-timeout", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<ProvidersOptions>>().Value.Timeout));
        builder.Services.AddSingleton<IProviderModelClient, HttpProviderModelClient>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Google.ServiceAccountTokens>();
        AddAdapter<OpenAIAdapter>(builder.Services);
        AddAdapter<AzureOpenAIAdapter>(builder.Services);
        AddAdapter<MicrosoftFoundryAdapter>(builder.Services);
        AddAdapter<AnthropicAdapter>(builder.Services);
        AddAdapter<GoogleAIStudioAdapter>(builder.Services);
        AddAdapter<GoogleVertexAIAdapter>(builder.Services);
        AddAdapter<AwsBedrockAdapter>(builder.Services);
        AddAdapter<MistralAdapter>(builder.Services);
        AddAdapter<XAIAdapter>(builder.Services);
        AddAdapter<DeepSeekAdapter>(builder.Services);
        AddAdapter<ZAIAdapter>(builder.Services);
        AddAdapter<MinimaxAdapter>(builder.Services);
        AddAdapter<OllamaAdapter>(builder.Services);
        AddAdapter<OpenAICompatibleAdapter>(builder.Services);
        builder.Services.AddSingleton<ProviderAdapters>();
        return builder;
    }

    /// <summary>One adapter, seen by the core as the provider's rules and by the runtime and the model client as its adapter.</summary>
    private static void AddAdapter<TAdapter>(IServiceCollection services)
        where TAdapter : class, IProviderAdapter
    {
        services.AddSingleton<TAdapter>();
        services.AddSingleton<IProviderAdapter>(sp => sp.GetRequiredService<TAdapter>());
        services.AddSingleton<IProviderRules>(sp => sp.GetRequiredService<TAdapter>());
    }
}
