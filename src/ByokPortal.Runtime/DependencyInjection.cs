using ByokPortal.Providers.Outbound;
using ByokPortal.Runtime.Authentication;
using ByokPortal.Runtime.Gateway;
using ByokPortal.Runtime.RateLimiting;
using ByokPortal.Runtime.Resolution;
using ByokPortal.Runtime.Snapshots;
using ByokPortal.Runtime.Usage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Runtime;

public static class DependencyInjection
{
    /// <summary>
    /// The runtime: the policy snapshot and its refresher, API-key authentication, rate limits, the gateway's forwarder and client, usage
    /// recording, and the OpenAPI document. Needs the core, persistence, secrets and providers areas registered by the host.
    /// </summary>
    public static IHostApplicationBuilder AddPortalRuntime(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<SnapshotBuilder>();
        services.AddSingleton<RuntimeSecretCache>();
        services.AddSingleton<SnapshotRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotRefresher>());

        services.AddSingleton<ApiKeyRateLimiter>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<UsageWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageWriter>());
        services.AddSingleton<ProviderKeyHealth>();
        services.AddHostedService(sp => sp.GetRequiredService<ProviderKeyHealth>());
        services.AddSingleton<RuntimeCalls>();

        services.AddPortalOutbound();
        services.AddSingleton(sp => new GatewayClient(GatewayHandler.Create(sp)));
        services.AddSingleton<GatewayForwarder>();

        services.AddSingleton<ApiKeyRefusalLog>();
        // Registered, so ASP.NET Core creates the per-request handler from the container's compiled factory instead of by reflection.
        services.AddTransient<ApiKeyAuthenticationHandler>();
        services.AddAuthentication(options => options.AddScheme<ApiKeyAuthenticationHandler>(ApiKeyAuthenticationDefaults.Scheme, null));
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationDefaults.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationDefaults.Scheme)
            .RequireAuthenticatedUser());

        services.AddOpenApi(RuntimeOpenApi.DocumentName, RuntimeOpenApi.Configure);
        return builder;
    }

    /// <summary>
    /// The runtime's routes (API keys only; people's cookies are refused), the OpenAPI document and its browsable reference. In the portal the
    /// routes require the API-key authorization policy. A host whose only authentication scheme, and default one, is the API key (the lean
    /// gateway) passes <paramref name="apiKeyIsTheDefaultScheme"/>: the authentication middleware has already authenticated the API key,
    /// and every route admits its caller itself (<see cref="Resolution.RuntimeCalls.Admit"/>: no API key, a challenge with the reason), so
    /// the policy's second pass over the same key is left out of every request.
    /// </summary>
    public static IEndpointRouteBuilder MapPortalRuntime(this IEndpointRouteBuilder endpoints, bool apiKeyIsTheDefaultScheme = false)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every runtime route admits its caller the same way (RuntimeCalls.Admit), so each can answer these three.
        var runtime = endpoints.MapGroup("")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (!apiKeyIsTheDefaultScheme)
        {
            runtime.RequireAuthorization(ApiKeyAuthenticationDefaults.Policy);
        }

        runtime.MapResolveEndpoints();
        runtime.MapGatewayEndpoints();
        RuntimeOpenApi.Map(endpoints);
        return endpoints;
    }
}
