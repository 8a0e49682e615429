using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Tests;

public sealed class ProviderTimeoutTests(ShortTimeoutProviderClientFixture fixture) : IClassFixture<ShortTimeoutProviderClientFixture>
{
    [Fact]
    public async Task ListModelsAsync_SlowProvider_TimesOutAfterTheConfiguredSecond()
    {
        var result = await fixture.Client.ListModelsAsync(
            new ProviderEndpoint(ProviderKind.OpenAI, fixture.StandIn.SlowBaseUrl, null), fixture.StandIn.AcceptedKey, ProviderClientFixture.Ct).ModelsAsync();

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.Timeout, error.Reason);
        Assert.StartsWith("OpenAI did not answer within 1 second (127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.False(error.Message.Contains(fixture.StandIn.AcceptedKey, StringComparison.Ordinal), "the message holds the key");
    }
}
