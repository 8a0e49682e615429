using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Adapters;
using ByokPortal.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ByokPortal.Providers.Tests.Cloud;

/// <summary>
/// The provider client and adapters as the portal composes them (<see cref="DependencyInjection.AddPortalProviders"/>), with a movable
/// clock (token expiry, signing dates) and every log line captured, against the stand-in's Vertex token endpoint and Bedrock.
/// </summary>
public sealed class CloudProvidersFixture : IAsyncLifetime
{
    private IHost? _host;

    public ProviderStandIn StandIn { get; private set; } = default!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public LogCapture Logs { get; } = new();

    public IProviderModelClient Client => _host!.Services.GetRequiredService<IProviderModelClient>();

    public ProviderAdapters Adapters => _host!.Services.GetRequiredService<ProviderAdapters>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        StandIn = await ProviderStandIn.StartAsync();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Providers:Timeout"] = "00:00:30",
            ["Portal:Outbound:AllowLoopback"] = "true", // the stand-in listens on loopback; OutboundGuardTests prove the refusal
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(Logs);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.AddPortalProviders();
        _host = builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }
    }
}
