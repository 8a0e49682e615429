using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Providers.Tests;

/// <summary>
/// The portal itself (Program.cs) wires the same client: a provider timeout from configuration, no redirects followed, and the outbound
/// guard, which refuses loopback outside Development unless allowed (the test fixtures allow it; these tests set it back).
/// </summary>
public sealed class PortalWiringTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory().WithSetting("Portal:Providers:Timeout", "00:00:07");
    private ProviderStandIn _standIn = default!;

    public async ValueTask InitializeAsync() => _standIn = await ProviderStandIn.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _standIn.DisposeAsync();
    }

    [Fact]
    public async Task Portal_ProviderModelClient_IsTheHttpClientWithTheConfiguredTimeout()
    {
        var client = _factory.Services.GetRequiredService<IProviderModelClient>();

        var listed = await client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, _standIn.OpenAIBaseUrl, null), _standIn.AcceptedKey, TestContext.Current.CancellationToken);
        var slow = await client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, _standIn.SlowBaseUrl, null), _standIn.AcceptedKey, TestContext.Current.CancellationToken);

        Assert.IsType<HttpProviderModelClient>(client);
        Assert.True(listed.IsSuccess, listed.Error?.Message);
        Assert.Contains("did not answer within 7 seconds", Assert.IsType<ProviderCallError>(slow.Error).Message, StringComparison.Ordinal);
        Assert.False(_factory.Logs.AllText.Contains(_standIn.AcceptedKey, StringComparison.Ordinal), "the portal's logs hold the key");
    }

    [Fact]
    public void Portal_EveryProviderKind_HasExactlyOneAdapter_SeenByTheCoreAsItsRules()
    {
        var adapters = _factory.Services.GetServices<Adapters.IProviderAdapter>().ToList();
        var registry = _factory.Services.GetRequiredService<ProviderRegistry>();

        var withoutAdapter = Enum.GetValues<ProviderKind>().Where(kind => adapters.Count(a => a.Kind == kind) != 1).ToList();

        Assert.True(withoutAdapter.Count == 0, $"No single adapter for: {string.Join(", ", withoutAdapter)}");
        Assert.Equal(Enum.GetValues<ProviderKind>(), registry.All.Select(r => r.Kind));
        Assert.All(registry.All, rules => Assert.Same(adapters.Single(a => a.Kind == rules.Kind), rules));
    }

    [Fact]
    public async Task Portal_OutsideDevelopmentWithoutLoopbackAllowance_RefusesTheLoopbackProviderWithNothingCalled()
    {
        await using var portal = new PortalAppFactory().WithSetting("Portal:Outbound:AllowLoopback", null);
        var client = portal.Services.GetRequiredService<IProviderModelClient>();

        var result = await client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, _standIn.OpenAIBaseUrl, null), _standIn.AcceptedKey, TestContext.Current.CancellationToken);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal((ProviderFailureReason.RefusedByPolicy, "127.0.0.1 is an internal address; an administrator can allow it with Portal:Outbound:AllowedHosts."),
            (error.Reason, error.Message));
        Assert.Empty(_standIn.Requests);
    }

    [Fact]
    public async Task Portal_InDevelopment_AllowsLoopbackByDefaultSoLocalStandInsWork()
    {
        await using var portal = new PortalAppFactory { Environment = "Development" }.WithSetting("Portal:Outbound:AllowLoopback", null);
        var client = portal.Services.GetRequiredService<IProviderModelClient>();

        var result = await client.ListModelsAsync(new ProviderEndpoint(ProviderKind.OpenAI, _standIn.OpenAIBaseUrl, null), _standIn.AcceptedKey, TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Single(_standIn.Requests);
    }
}
