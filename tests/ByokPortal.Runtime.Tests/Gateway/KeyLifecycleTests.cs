using ByokPortal.Core.Access;
using System.Net;
using System.Text;
using ByokPortal.Core.Audit;
using ByokPortal.Core.CustomModels;
using ByokPortal.Core.ProviderKeys;
using ByokPortal.Core.Secrets;
using ByokPortal.Testing;
using Microsoft.EntityFrameworkCore;

namespace ByokPortal.Runtime.Tests.Gateway;

/// <summary>
/// A key's life while applications use it, on the real portal with a clock the test moves: rotation without downtime (the new credential
/// serves at once, the previous version stays readable for the grace period and is then disabled, audited with both version IDs), and the
/// background health check (a key that starts failing is marked, listed as failing and audited once).
/// </summary>
public sealed class KeyLifecycleTests(MovableClockRuntimeFixture fixture) : IClassFixture<MovableClockRuntimeFixture>
{
    private const string FirstKeyId = "AKIAROTATEFIRST00001";
    private const string FirstSecret = "rotate+first+secret+access+key+00000000";
    private const string SecondKeyId = "AKIAROTATESECOND0002";
    private const string SecondSecret = "rotate+second+secret+access+key+0000000";

    private readonly RuntimeSteps _steps = new(fixture);

    private static Dictionary<string, string?> Row(string region, string id, string secret) =>
        new() { ["region"] = region, ["accessKeyId"] = id, ["secretAccessKey"] = secret };

    private static StringContent Chat(string model) =>
        new($"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hi\"}}]}}", Encoding.UTF8, "application/json");

    private async Task<ProviderKey> KeyAsync(Guid id)
    {
        await using var db = await fixture.DbAsync();
        return await db.ProviderKeys.AsNoTracking().SingleAsync(k => k.Id == id, RuntimeFixture.Ct);
    }

    private async Task<List<AuditEvent>> AuditAsync(Guid keyId, string action)
    {
        await using var db = await fixture.DbAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.TargetId == keyId.ToString() && e.Action == action).ToListAsync(RuntimeFixture.Ct);
    }

    [Fact]
    public async Task Rotate_NewCredentialServesAtOnce_PreviousVersionReadableForTheGracePeriodThenDisabled_AuditedWithVersionsNeverValues()
    {
        fixture.StandIn.BedrockKeys[FirstKeyId] = FirstSecret;
        var model = $"us-west-2/anthropic.claude-{RuntimeSteps.UniqueModel("r")}";
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var ada = await _steps.AdaAsync();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = "Rotating " + model,
            BaseUrl = fixture.StandIn.BedrockBaseUrl,
            CredentialRows = [Row("global", FirstKeyId, FirstSecret)],
            ModelIds = [model],
        }, RuntimeFixture.Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await using (var db = await fixture.DbAsync())
        {
            var row = await db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).SingleAsync(RuntimeFixture.Ct);
            await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), row, enabled: true, ModelAccessMode.AllOrganizations);
        }

        await fixture.RefreshAsync();
        var client = fixture.Client(app.Token);
        using (var before = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var original = await KeyAsync(added.Value.Id);

        // A new credential the provider refuses is not stored.
        var refused = await fixture.Get<RotateProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), original.Id, original.Version,
            new RotateProviderKeyInput { CredentialRows = [Row("global", SecondKeyId, SecondSecret)] }, RuntimeFixture.Ct);
        Assert.False(refused.IsSuccess);
        Assert.Equal(original.SecretVersion, (await KeyAsync(original.Id)).SecretVersion);

        fixture.StandIn.BedrockKeys[SecondKeyId] = SecondSecret;
        var rotated = await fixture.Get<RotateProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), original.Id, original.Version,
            new RotateProviderKeyInput { CredentialRows = [Row("global", SecondKeyId, SecondSecret)] }, RuntimeFixture.Ct);
        Assert.True(rotated.IsSuccess, rotated.Error?.Message);
        await fixture.RefreshAsync();
        var signaturesBefore = fixture.StandIn.BedrockSignatures.Count;
        using (var after = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        var key = await KeyAsync(original.Id);
        Assert.Equal(SecondKeyId, fixture.StandIn.BedrockSignatures.Skip(signaturesBefore).Single().AccessKeyId);
        Assert.Equal((original.Name, original.SecretName, original.SecretVersion), (key.Name, key.SecretName, key.PreviousSecretVersion));
        Assert.NotEqual(original.SecretVersion, key.SecretVersion);
        Assert.Equal("global ••••0002", key.MaskedHint);
        var secrets = fixture.Get<ISecretStore>();
        var previous = new SecretReference(key.SecretName!, key.PreviousSecretVersion!);
        Assert.Contains(FirstKeyId, await secrets.GetAsync(previous, RuntimeFixture.Ct), StringComparison.Ordinal); // requests under way still read it

        var audit = Assert.Single(await AuditAsync(key.Id, AuditActions.ProviderKeyRotate), e => e.Outcome == AuditOutcome.Succeeded);
        Assert.Contains(original.SecretVersion!, audit.Details, StringComparison.Ordinal);
        Assert.Contains(key.SecretVersion!, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(SecondSecret, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(SecondKeyId, audit.Details, StringComparison.Ordinal);

        // After the grace period the previous version is disabled: nobody can read it again.
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await fixture.Get<RetireRotatedVersionsCommand>().ExecuteAsync(RuntimeFixture.Ct);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(previous, RuntimeFixture.Ct));
        Assert.Contains(SecondKeyId, await secrets.GetAsync(new SecretReference(key.SecretName!, key.SecretVersion!), RuntimeFixture.Ct), StringComparison.Ordinal);
        Assert.Null((await KeyAsync(key.Id)).PreviousSecretVersion);
    }

    [Fact]
    public async Task GatewaySeesTheProviderRefuseAKey_TheBackgroundCheckTestsItAgainSoonAfter_NotAtItsSchedule()
    {
        const string keyId = "AKIAREFUSEDONCE00004";
        const string secret = "refused+once+secret+access+key+00000000";
        fixture.StandIn.BedrockKeys[keyId] = secret;
        var model = $"ca-central-1/anthropic.claude-{RuntimeSteps.UniqueModel("h")}";
        var app = await _steps.IssueApiKeyAsync("contoso-web");
        var ada = await _steps.AdaAsync();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = "Refused " + model,
            BaseUrl = fixture.StandIn.BedrockBaseUrl,
            CredentialRows = [Row("ca-central-1", keyId, secret)],
            ModelIds = [model],
        }, RuntimeFixture.Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        await using (var db = await fixture.DbAsync())
        {
            var row = await db.CustomModels.Where(m => m.ProviderKeyId == added.Value.Id).Select(m => m.Id).SingleAsync(RuntimeFixture.Ct);
            await _steps.SaveModelSettingsAsync(ada, KeyScope.Enterprise("contoso"), row, enabled: true, ModelAccessMode.AllOrganizations);
        }

        await fixture.RefreshAsync();
        Assert.Equal(CredentialTestStatus.Succeeded, (await _steps.TestKeyAsync(ada, KeyScope.Enterprise("contoso"), added.Value.Id)).Status);

        // The provider refuses the key for a moment (a revoked-then-restored IAM key): the gateway's request gets 403.
        fixture.StandIn.BedrockKeys.TryRemove(keyId, out _);
        using (var refused = await fixture.Client(app.Token).PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), Chat(model), RuntimeFixture.Ct))
        {
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }

        var marked = await WaitForKeyAsync(added.Value.Id, k => k.LastTestStatus == CredentialTestStatus.Invalid);
        Assert.Contains("forbidden (403)", marked.LastTestMessage, StringComparison.Ordinal);
        fixture.StandIn.BedrockKeys[keyId] = secret;
        var listingsBefore = ListingsWith(keyId);

        // A few minutes later — hours before its 6-hourly test — the background check (the portal's own hosted service) tests it again.
        fixture.Clock.Advance(TimeSpan.FromMinutes(2) + ProviderKeyMaintenance.Tick);
        var healthy = await WaitForKeyAsync(added.Value.Id, k => k.LastTestStatus == CredentialTestStatus.Succeeded);
        Assert.True(ListingsWith(keyId) > listingsBefore, "the stand-in saw no ListFoundationModels call after the refusal");
        Assert.Null(healthy.RecheckRequestedAt);
    }

    private int ListingsWith(string accessKeyId) =>
        fixture.StandIn.BedrockSignatures.Count(s => s.AccessKeyId == accessKeyId && s.Path == "/bedrock/foundation-models");

    /// <summary>Waits (real time, bounded) for the background work to bring the key to the expected state.</summary>
    private async Task<ProviderKey> WaitForKeyAsync(Guid id, Func<ProviderKey, bool> expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = await KeyAsync(id);
            if (expected(key))
            {
                return key;
            }

            Assert.True(attempt < 300, $"the key stayed {key.LastTestStatus} ({key.LastTestMessage}), recheck requested at {key.RecheckRequestedAt}");
            await Task.Delay(100, RuntimeFixture.Ct);
        }
    }

    [Fact]
    public async Task HealthCheck_KeyRevokedAtTheProvider_IsMarkedListedAsFailingAndAuditedOnce()
    {
        const string revokedKeyId = "AKIAREVOKEDLATER0003";
        const string revokedSecret = "revoked+later+secret+access+key+0000000";
        fixture.StandIn.BedrockKeys[revokedKeyId] = revokedSecret;
        var ada = await _steps.AdaAsync();
        var added = await fixture.Get<AddProviderKeyCommand>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), new ProviderKeyInput
        {
            Provider = ProviderKind.AwsBedrock,
            Name = "Health " + RuntimeSteps.UniqueModel("k"),
            BaseUrl = fixture.StandIn.BedrockBaseUrl,
            CredentialRows = [Row("eu-central-1", revokedKeyId, revokedSecret)],
            ModelIds = ["eu-central-1/anthropic.claude-3-haiku-20240307-v1:0"],
        }, RuntimeFixture.Ct);
        Assert.True(added.IsSuccess, added.Error?.Message);
        var keyId = added.Value.Id;
        Assert.Equal(CredentialTestStatus.Succeeded, (await _steps.TestKeyAsync(ada, KeyScope.Enterprise("contoso"), keyId)).Status);

        fixture.StandIn.BedrockKeys.TryRemove(revokedKeyId, out _); // revoked at the provider
        fixture.Clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromMinutes(1));
        await fixture.Get<CheckProviderKeysHealthCommand>().ExecuteAsync(RuntimeFixture.Ct);
        await fixture.Get<CheckProviderKeysHealthCommand>().ExecuteAsync(RuntimeFixture.Ct);

        var listed = await fixture.Get<ListProviderKeysQuery>().ExecuteAsync(ada, KeyScope.Enterprise("contoso"), RuntimeFixture.Ct);
        var row = listed.Value.Keys.Single(k => k.Id == keyId);
        Assert.True(row.IsFailing, $"the key is listed as {row.LastTestStatus}");
        Assert.Contains("eu-central-1: AWS Bedrock refused the credentials (403 Forbidden)", row.LastTestMessage, StringComparison.Ordinal);
        var change = Assert.Single(await AuditAsync(keyId, AuditActions.ProviderKeyHealthChange));
        Assert.Equal("system", change.ActorType);
        Assert.DoesNotContain(revokedSecret, change.Details ?? "", StringComparison.Ordinal);
    }
}
