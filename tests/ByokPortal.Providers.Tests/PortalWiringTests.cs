using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ByokPortal.Providers.Tests;

/// <summary>The portal itself (Program.cs) wires the same client: a provider timeout from configuration, no redirects followed.</summary>
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
}
