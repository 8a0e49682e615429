using System.Net;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers.Outbound;
using ByokPortal.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// The provider client as the portal composes it, with loopback NOT allowed (as outside Development) and these allowed hosts:
/// the name <c>ollama.internal.test</c>, the name <c>metadata.internal.test</c> and the address 127.0.0.2. Two stand-ins share one port:
/// <see cref="StandIn"/> on 127.0.0.1 (which every refused call would reach if the guard let it through) and <see cref="Allowed"/> on
/// 127.0.0.2. Names ending in <c>.test</c> resolve through the table below (the one stand-in for DNS); every other name through DNS.
/// </summary>
public sealed class GuardedClientFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, IPAddress[]> Names = new Dictionary<string, IPAddress[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["rebind.test"] = [IPAddress.Loopback],
        ["ollama.internal.test"] = [IPAddress.Loopback],
        ["metadata.internal.test"] = [IPAddress.Parse("169.254.169.254")],
        ["all-internal.test"] = [IPAddress.Parse("10.0.0.1"), IPAddress.Loopback],
        ["mixed.test"] = [IPAddress.Loopback, IPAddress.Parse("127.0.0.2")],
    };

    private IHost? _host;

    /// <summary>On 127.0.0.1, refused: must never see a request.</summary>
    public ProviderStandIn StandIn { get; private set; } = default!;

    /// <summary>On 127.0.0.2 (allowed by address), same port.</summary>
    public ProviderStandIn Allowed { get; private set; } = default!;

    public int Port => Allowed.Address.Port;

    public LogCapture Logs { get; } = new();

    public IProviderModelClient Client { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Allowed = await ProviderStandIn.StartAsync(listenUrl: "http://127.0.0.2:0");
        StandIn = await ProviderStandIn.StartAsync(listenUrl: $"http://127.0.0.1:{Allowed.Address.Port}");

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Providers:Timeout"] = "00:00:30",
            ["Portal:Outbound:AllowLoopback"] = "false",
            ["Portal:Outbound:AllowedHosts:0"] = "ollama.internal.test",
            ["Portal:Outbound:AllowedHosts:1"] = "metadata.internal.test",
            ["Portal:Outbound:AllowedHosts:2"] = "127.0.0.2",
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(Logs);
        builder.AddPortalProviders();
        builder.Services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<IOptions<OutboundOptions>>(), sp.GetRequiredService<IHostEnvironment>(), ResolveAsync));
        _host = builder.Build();
        Client = _host.Services.GetRequiredService<IProviderModelClient>();
    }

    private static Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        if (StandIn is not null)
        {
            await StandIn.DisposeAsync();
        }

        if (Allowed is not null)
        {
            await Allowed.DisposeAsync();
        }
    }
}
