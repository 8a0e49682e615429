using ByokPortal.Core.Access;
using ByokPortal.Core.Audit;
using ByokPortal.Core.Common;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Core.Tests.ProviderKeys;

/// <summary>"Test credentials" on a saved key: the result is stored on the key, stamped with the portal's clock, and audited.</summary>
public sealed class TestProviderKeyCommandTests(FrozenClockPortalFixture fixture) : IClassFixture<FrozenClockPortalFixture>
{
    private static CancellationToken Ct => PortalFixture.Ct;

    private static readonly KeyScope Contoso = KeyScope.Enterprise("contoso");

    private async Task<Guid> AddKeyAsync(string credential, string baseUrl)
    {
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, Contoso,
            TestData.Input(ProviderKind.OpenAI, TestData.UniqueName("Tested"), credential, baseUrl, "gpt-4o"), Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        return added.Value.Id;
    }

    private async Task<(ProviderKey Key, AuditEvent Audit)> StoredAsync(Guid keyId)
    {
        await using var db = await fixture.DbAsync();
        var key = await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, Ct);
        var audit = (await TestData.AuditEventsForAsync(db, keyId.ToString(), Ct)).Last();
        return (key, audit);
    }

    [Fact]
    public async Task ExecuteAsync_AcceptedKey_StoresSucceededAtTheAppsTimeAndAudits()
    {
        var keyId = await AddKeyAsync(fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl);
        fixture.Clock.Advance(TimeSpan.FromMinutes(7));
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(CredentialTestStatus.Succeeded, result.Value.Status);
        Assert.Equal("The credentials work: 3 models available.", result.Value.Message);
        var (key, audit) = await StoredAsync(keyId);
        Assert.Equal(CredentialTestStatus.Succeeded, key.LastTestStatus);
        Assert.Equal(fixture.Clock.GetUtcNow(), key.LastTestedAt);
        Assert.Equal(result.Value.Message, key.LastTestMessage);
        Assert.Equal(AuditActions.ProviderKeyTest, audit.Action);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Equal(fixture.Clock.GetUtcNow(), audit.OccurredAt);
        Assert.Contains("Succeeded", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WrongKey_StoresInvalidWithoutTheKey()
    {
        var wrongKey = TestData.NewCredential();
        var keyId = await AddKeyAsync(wrongKey, fixture.StandIn.OpenAIBaseUrl);
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct);

        Assert.False(result.Value.Message.Contains(wrongKey, StringComparison.Ordinal), "the result echoes the key");
        Assert.Equal(CredentialTestStatus.Invalid, result.Value.Status);
        var (key, audit) = await StoredAsync(keyId);
        Assert.False(key.LastTestMessage?.Contains(wrongKey, StringComparison.Ordinal) ?? false, "the stored test message holds the key");
        Assert.Equal(CredentialTestStatus.Invalid, key.LastTestStatus);
        Assert.Equal(fixture.Clock.GetUtcNow(), key.LastTestedAt);
        Assert.Equal("OpenAI rejected the API key (401 Unauthorized). Check that the key is correct and still active.", key.LastTestMessage);
        Assert.Equal(AuditActions.ProviderKeyTest, audit.Action);
        Assert.Equal(AuditOutcome.Failed, audit.Outcome);
        Assert.Contains("Invalid", audit.Details, StringComparison.Ordinal);
        await using var db = await fixture.DbAsync();
        Assert.False((await TestData.AllKeyRowsTextAsync(db, Ct)).Contains(wrongKey, StringComparison.Ordinal), "a key row holds the key");
        Assert.False((await TestData.AllAuditTextAsync(db, Ct)).Contains(wrongKey, StringComparison.Ordinal), "an audit event holds the key");
        Assert.False(fixture.Factory.Logs.AllText.Contains(wrongKey, StringComparison.Ordinal), "the logs hold the key");
    }

    [Fact]
    public async Task ExecuteAsync_ProviderUnreachable_StoresFailed()
    {
        var keyId = await AddKeyAsync(fixture.StandIn.AcceptedKey, $"http://127.0.0.1:{FetchProviderModelsQueryTests.UnusedLoopbackPort()}/v1");
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var ada = await fixture.ActorAsync(DemoSignIn.EnterpriseOwner);

        var result = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(ada, Contoso, keyId, Ct);

        Assert.Equal(CredentialTestStatus.Failed, result.Value.Status);
        var (key, audit) = await StoredAsync(keyId);
        Assert.Equal(CredentialTestStatus.Failed, key.LastTestStatus);
        Assert.Equal(fixture.Clock.GetUtcNow(), key.LastTestedAt);
        Assert.StartsWith("Could not reach 127.0.0.1:", key.LastTestMessage, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Failed, audit.Outcome);
    }

    [Theory]
    [InlineData(DemoSignIn.WebMember)]
    [InlineData(DemoSignIn.WebOwner)]
    public async Task ExecuteAsync_NotAnEnterpriseOwner_IsNotFoundAndNothingIsCalledOrStored(string who)
    {
        var keyId = await AddKeyAsync(fixture.StandIn.AcceptedKey, fixture.StandIn.OpenAIBaseUrl);
        var before = fixture.StandIn.Requests.Count;
        var stranger = await fixture.ActorAsync(who);

        var result = await fixture.Get<TestProviderKeyCommand>().ExecuteAsync(stranger, Contoso, keyId, Ct);

        Assert.IsType<NotFoundError>(result.Error);
        Assert.Equal(before, fixture.StandIn.Requests.Count);
        var (key, _) = await StoredAsync(keyId);
        Assert.Equal(CredentialTestStatus.NotTested, key.LastTestStatus);
        Assert.Null(key.LastTestedAt);
    }
}
