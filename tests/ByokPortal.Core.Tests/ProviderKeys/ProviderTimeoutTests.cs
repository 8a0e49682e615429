using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>A provider that does not answer: "Fetch new models" and "Test credentials" give up after the configured time and say so.</summary>
public sealed class ProviderTimeoutTests(ShortProviderTimeoutFixture fixture) : IClassFixture<ShortProviderTimeoutFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    [Fact]
    public async Task Fetch_SlowProvider_TimesOutAndSaysAfterHowManySeconds()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var input = TestData.Input(ProviderKind.OpenAI, "Fetch", fixture.StandIn.AcceptedKey, fixture.StandIn.SlowBaseUrl);

        var result = await fixture.Get<FetchProviderModelsQuery>().ExecuteAsync(ada, Contoso, input, null, Ct);

        var error = Assert.IsType<ProviderCallError>(result.Error);
        Assert.Equal(ProviderFailureReason.Timeout, error.Reason);
        Assert.Contains("did not answer within 1 second", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1 seconds", error.Message, StringComparison.Ordinal);
        Assert.False(error.Message.Contains(fixture.StandIn.AcceptedKey, StringComparison.Ordinal), "the message echoes the key");
    }

    [Fact]
    public async Task TestCredentials_SlowProvider_StoresFailedWithTheTimeout()
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Slow"), fixture.StandIn.AcceptedKey, fixture.StandIn.SlowBaseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);

        var result = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, added.Value.Id, Ct);

        Assert.Equal(CredentialTestStatus.Failed, result.Value.Status);
        Assert.Contains("did not answer within 1 second", result.Value.Message, StringComparison.Ordinal);
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == added.Value.Id, Ct);
        Assert.Equal(CredentialTestStatus.Failed, key.LastTestStatus);
        var audit = (await TestData.AuditEventsForAsync(db, added.Value.Id.ToString(), Ct)).Last();
        Assert.Equal(AuditOutcome.Failed, audit.Outcome);
    }
}
