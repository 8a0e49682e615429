using ByokPortal.Core.ProviderKeys;
using ByokPortal.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>Every provider's rules as the portal registers them (the real adapters), for tests of the validator alone.</summary>
public static class TestProviders
{
    private static readonly Lazy<ProviderRegistry> Instance = new(() =>
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddPortalProviders();
        var services = builder.Services.BuildServiceProvider();
        return new ProviderRegistry(services.GetServices<IProviderRules>());
    });

    public static ProviderRegistry Registry => Instance.Value;
}
