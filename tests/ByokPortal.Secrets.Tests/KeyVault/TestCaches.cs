using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Secrets.Tests.KeyVault;

/// <summary>A HybridCache of its own for each store a test builds, as the container builds it for the portal.</summary>
internal static class TestCaches
{
    public static HybridCache Hybrid()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        return services.BuildServiceProvider().GetRequiredService<HybridCache>();
    }
}
